"""The read-only API for analysts, at /api/ (README.md here): Django REST framework, bearer tokens only.

It lives in reviews, the top app, because it reads every app's models; each resource starts from the same
`for_user(user)` queryset its pages use, so a token sees what its owner's pages show them and nothing more.
"""
