"""People, managed in the service: an OPCC admin's pages to invite people and give them one of the three roles.

`permissions.py` says who may be changed, `tokens.py` makes the invitation links, `selectors.py` reads,
`services.py` writes (and records each change as a `PersonEvent`), `access.py` fetches a person for a view,
`forms.py` validates and `views.py` speaks HTTP. Nothing here can make anyone a superuser or staff, or give raw
permissions: the forms have no such fields, and roles are only ever the three role groups of `boroughs.roles`.
"""
