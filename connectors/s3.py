"""S3-compatible buckets (AWS S3, MinIO, Ceph...): every object under `s3://bucket/prefix`.

The endpoint is RAG_S3_ENDPOINT_URL (unset: AWS), checked like a web address; TLS certificates
are verified. The source's secret, when named, is `ACCESS_KEY_ID:SECRET_ACCESS_KEY`; without
one, boto3's usual credentials apply (AWS_* variables, ~/.aws, an instance role). An object's id
is `s3://bucket/key`, its ETag and LastModified its version marker, so a re-sync downloads only
changed objects; objects gone from the prefix lose their chunks.
"""

from functools import partial
from pathlib import PurePosixPath
from typing import Any

from rag.connectors import RawSource, Scan, SourceFailure
from rag.connectors.web import URLRefusedError, check_url
from rag.plugins.kinds import ConnectorContext


class S3Connector:
    schemes = ("s3",)

    def scan(self, uri: str, context: ConnectorContext) -> Scan:
        # boto3 is imported when a bucket is read, not when the plugin registers (0.25 s)
        from botocore.exceptions import BotoCoreError, ClientError

        bucket, _, prefix = uri.removeprefix("s3://").partition("/")
        if not bucket:
            return Scan(failures=[SourceFailure(uri, "name a bucket: s3://BUCKET/PREFIX")])
        endpoint = context.endpoints.get("s3")
        try:
            if endpoint:
                check_url(endpoint, context.web_limits)
            client = _client(endpoint, context)
            scan = Scan(scope=f"s3://{bucket}/{prefix}")
            pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
            for page in pages:
                for item in page.get("Contents", ()):
                    _add(scan, client, bucket, item, context)
        except URLRefusedError as exc:
            return Scan(failures=[SourceFailure(uri, f"refused: {exc}")])
        except (BotoCoreError, ClientError, ValueError) as exc:
            return Scan(failures=[SourceFailure(uri, f"s3: {exc}")])
        return scan


def _client(endpoint: str | None, context: ConnectorContext) -> Any:
    import boto3
    from botocore.config import Config

    keys: dict[str, str] = {}
    if context.secret is not None:
        key_id, found, secret_key = context.secret.partition(":")
        if not found:
            raise ValueError("the secret of an s3 source is ACCESS_KEY_ID:SECRET_ACCESS_KEY")
        keys = {"aws_access_key_id": key_id, "aws_secret_access_key": secret_key}
    timeout = context.web_limits.timeout_s
    config = Config(connect_timeout=timeout, read_timeout=timeout, retries={"max_attempts": 2})
    return boto3.session.Session().client(
        "s3", endpoint_url=endpoint, config=config, region_name="us-east-1", **keys
    )


def _add(scan: Scan, client: Any, bucket: str, item: dict, context: ConnectorContext) -> None:
    key = str(item["Key"])
    source_id = f"s3://{bucket}/{key}"
    file_type = context.file_types.get(PurePosixPath(key).suffix.lower())
    if file_type is None or key.endswith("/"):
        return
    if int(item["Size"]) > context.max_bytes:
        failure = f"object is {item['Size']} bytes, over the {context.max_bytes}-byte limit"
        scan.failures.append(SourceFailure(source_id, failure))
        return
    modified = item["LastModified"]
    scan.sources.append(
        RawSource(
            source_id,
            file_type,
            read=partial(_download, client, bucket, key, context.max_bytes),
            modified=modified.timestamp(),
            version=f"{item['ETag']}@{modified.isoformat()}",
        )
    )


def _download(client: Any, bucket: str, key: str, max_bytes: int) -> bytes:
    body = client.get_object(Bucket=bucket, Key=key)["Body"]
    data = body.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError(f"object is over the {max_bytes}-byte limit")
    return data
