"""Where uploaded files and prepared exports are kept: the disk, or object storage shared by every host.

One app server and one worker can share a disk. Several hosts cannot: an export built by a worker on one host
must download from an app server on another. So production with more than one host sets STORAGE_URL, e.g.

    s3://csp-returns-files/production?region=eu-west-2
    s3://bucket/prefix?endpoint_url=https://objects.example.org   (any S3-compatible store: MinIO, Ceph, …)

or, instead, the django-storages variables (AWS_STORAGE_BUCKET_NAME, and optionally AWS_S3_REGION_NAME,
AWS_S3_ENDPOINT_URL, AWS_LOCATION). Credentials come the usual AWS ways (AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY, or the host's role) and are never put in the URL. `file:///path` keeps files on a disk
path. Anything else stops the service at start-up rather than losing files later.
"""

from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ImproperlyConfigured

FILESYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"
S3_QUERY_OPTIONS = {"region": "region_name", "endpoint_url": "endpoint_url"}


def _s3(bucket, location="", **options):
    if not bucket:
        raise ImproperlyConfigured("STORAGE_URL names no bucket: use s3://<bucket>/<optional prefix>.")
    return {
        "BACKEND": S3,
        "OPTIONS": {
            "bucket_name": bucket,
            "location": location.strip("/"),
            # Private files: every download goes through the service's own access checks, or a short-lived
            # signed URL; never a public object, and never overwritten (names are random anyway).
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            **{key: value for key, value in options.items() if value},
        },
    }


def default_storage(url="", *, environ=None):
    """The STORAGES["default"] entry for STORAGE_URL (or the AWS_* variables, or the disk)."""
    environ = environ or {}
    url = (url or "").strip()
    if not url:
        if environ.get("AWS_STORAGE_BUCKET_NAME"):
            return _s3(
                environ["AWS_STORAGE_BUCKET_NAME"],
                environ.get("AWS_LOCATION", ""),
                region_name=environ.get("AWS_S3_REGION_NAME"),
                endpoint_url=environ.get("AWS_S3_ENDPOINT_URL"),
            )
        return {"BACKEND": FILESYSTEM}
    parts = urlsplit(url)
    if parts.scheme == "file":
        return {"BACKEND": FILESYSTEM, "OPTIONS": {"location": parts.path}}
    if parts.scheme == "s3":
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        unknown = set(query) - set(S3_QUERY_OPTIONS)
        if unknown:
            raise ImproperlyConfigured(f"STORAGE_URL has options it does not know: {', '.join(sorted(unknown))}.")
        if parts.username or parts.password:
            raise ImproperlyConfigured("STORAGE_URL must not hold credentials: use AWS_ACCESS_KEY_ID and friends.")
        return _s3(parts.hostname, parts.path, **{S3_QUERY_OPTIONS[key]: value for key, value in query.items()})
    raise ImproperlyConfigured(f"STORAGE_URL must start with s3:// or file://, not {parts.scheme or url!r}.")
