"""Accounts: sign-in, sign-out, passwords and two-step verification through django-allauth, styled for GOV.UK.

allauth does the work; this package holds what is ours: the adapters (no sign-up, reset links from SITE_URL,
our wording), the forms (allauth's fields through GDSForm), who must use a second factor and the middleware that
holds them to it, and the service's own account pages (your account, email preferences, keep-alive).
"""
