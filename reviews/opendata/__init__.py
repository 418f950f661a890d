"""Open grants data: the Community Safety Fund grants of each published year, in the 360Giving Data Standard.

Only what the board saw goes out. A year is published when its annex has a published version; its grants are
the project rows of the newest published version (hidden rows left out), each with the allocation recorded for
that year. Nothing OPCC-only, no draft return and no commentary: the description is the project's own
description, written by its partnership for exactly this purpose, or a sentence made from the published names.

grants.py builds the package (JSON) and the flat CSV from the same grant dicts; the views are public.
"""
