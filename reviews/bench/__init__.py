"""`manage.py bench` (`make bench`): the page benchmark. Not imported by the service itself.

`stats` holds the pure parts (percentiles, wrk's output, the tables), `pages` the key pages and the in-process
timings, `load` gunicorn and wrk, `exports` the annex exports and the spreadsheet import in a fresh process.
"""
