"""S3 sources against moto's server mode (a stand-in for MinIO or AWS S3): add, change, delete
and re-sync, change detection by ETag and LastModified."""

import sys
from pathlib import Path

import boto3
import pytest

from tests.live import free_port
from tests.source_servers import indexed, process, source_app

pytestmark = pytest.mark.integration

KEYS = "AKIDTEST:s3-Secret-Key-5521"  # moto accepts any keys; the connector must send these


@pytest.fixture
def s3(tmp_path: Path):
    port = free_port()
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    with process(command, port, tmp_path / "moto.log"):
        endpoint = f"http://127.0.0.1:{port}"
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="AKIDTEST",
            aws_secret_access_key="s3-Secret-Key-5521",  # noqa: S106
        )
        client.create_bucket(Bucket="handbook")
        yield endpoint, port, client


def test_bucket_prefix_syncs_by_etag(s3, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    endpoint, port, client = s3
    client.put_object(Bucket="handbook", Key="hr/leave.md", Body=b"# Leave\n\n31 days.\n")
    client.put_object(Bucket="handbook", Key="hr/phones.txt", Body=b"Reception: 100.\n")
    client.put_object(Bucket="handbook", Key="other/skip.md", Body=b"# Not under the prefix\n")
    monkeypatch.setenv("RAG_SECRET_S3", KEYS)
    allowed = [f"127.0.0.1:{port}"]
    data = tmp_path / "data"
    with source_app(data, web_allowed_hosts=allowed, s3_endpoint_url=endpoint) as (app, service):
        source = service.add("s3://handbook/hr/", schedule="manual", secret="S3")
        first = service.sync(source.id)
        assert first.last_error is None, first.last_error
        assert (first.added, first.changed, first.removed) == (2, 0, 0)
        assert set(indexed(app)) == {"s3://handbook/hr/leave.md", "s3://handbook/hr/phones.txt"}

        client.put_object(Bucket="handbook", Key="hr/leave.md", Body=b"# Leave\n\n33 days.\n")
        client.delete_object(Bucket="handbook", Key="hr/phones.txt")
        client.put_object(Bucket="handbook", Key="hr/travel.md", Body=b"# Travel\n\nTrains.\n")
        second = service.sync(source.id)
        assert (second.added, second.changed, second.removed) == (1, 1, 1)
        assert len(indexed(app)) == 2

        third = service.sync(source.id)
        assert (third.added, third.changed, third.removed, third.last_error) == (0, 0, 0, None)

        missing = service.add("s3://no-such-bucket/", schedule="manual", secret="S3")
        failed = service.sync(missing.id)
        assert "NoSuchBucket" in failed.last_error and "s3-Secret" not in failed.last_error
        assert len(indexed(app)) == 2
