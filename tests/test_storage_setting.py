"""STORAGE_URL: the disk by default, object storage when set, and a start-up error for anything unclear."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage as storage
from django.core.files.storage import storages

from config.settings.storage import FILESYSTEM, S3, default_storage


def test_without_a_url_files_go_to_the_disk():
    assert default_storage("") == {"BACKEND": FILESYSTEM}
    assert default_storage(None, environ={}) == {"BACKEND": FILESYSTEM}


def test_an_s3_url_names_the_bucket_prefix_and_region():
    config = default_storage("s3://csp-files/production/?region=eu-west-2")
    assert config["BACKEND"] == S3
    options = config["OPTIONS"]
    assert (options["bucket_name"], options["location"], options["region_name"]) == (
        "csp-files",
        "production",
        "eu-west-2",
    )
    # Private and never overwritten: downloads go through the service's checks or a short-lived signed URL.
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False


def test_an_s3_compatible_store_is_reached_through_its_endpoint():
    config = default_storage("s3://bucket?endpoint_url=https://objects.example.org")
    assert config["OPTIONS"]["endpoint_url"] == "https://objects.example.org"
    assert config["OPTIONS"]["location"] == ""


def test_the_aws_variables_work_without_a_url():
    config = default_storage("", environ={"AWS_STORAGE_BUCKET_NAME": "b", "AWS_LOCATION": "p/"})
    assert config["BACKEND"] == S3
    assert (config["OPTIONS"]["bucket_name"], config["OPTIONS"]["location"]) == ("b", "p")


def test_a_file_url_keeps_files_on_that_path():
    assert default_storage("file:///srv/csp-files") == {
        "BACKEND": FILESYSTEM,
        "OPTIONS": {"location": "/srv/csp-files"},
    }


@pytest.mark.parametrize(
    "url",
    [
        "ftp://host/x",
        "s3:///no-bucket",
        "s3://key:secret@bucket/",
        "s3://bucket/?colour=blue",
        "bucket-name",
    ],
)
def test_anything_unclear_stops_the_service_at_start_up(url):
    with pytest.raises(ImproperlyConfigured):
        default_storage(url)


def test_the_s3_backend_is_importable_and_builds_from_the_setting(settings):
    settings.STORAGES = {**settings.STORAGES, "default": default_storage("s3://bucket/prefix?region=eu-west-2")}
    storages._storages = {}
    try:
        backend = storages["default"]
        assert type(backend).__module__ == "storages.backends.s3"
        assert backend.bucket_name == "bucket"
        assert backend.location == "prefix"
    finally:
        storages._storages = {}


def test_files_are_written_through_the_storage_api(settings, tmp_path):
    # What the app writes (evidence, exports, imports) goes through default_storage, so the setting is all it takes.
    settings.STORAGES = {**settings.STORAGES, "default": default_storage(f"file://{tmp_path}")}
    storages._storages = {}
    try:
        name = storage.save("exports/check.txt", ContentFile(b"hello"))
        assert (tmp_path / name).read_bytes() == b"hello"
    finally:
        storages._storages = {}
