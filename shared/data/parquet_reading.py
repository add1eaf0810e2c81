"""Read uploaded Parquet bytes within the upload limits: the footer first, then batch by batch.

Text columns are read dictionary-encoded, so that a long string repeated a million times stays
one string while its decoded size is counted; each batch is expanded to plain values only once
the running count is within the byte cap. Columns of lists or structs cannot hold bars and are
never read.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from shared.data.upload_limits import UploadLimits, decoded_nbytes, is_text

_BATCH_ROWS = 65_536


def read_parquet_capped(filename: str, content: bytes, limits: UploadLimits) -> pa.Table:
    """The file's flat columns as a table; PayloadTooLarge as soon as a limit is passed.

    Arrow errors (a corrupt or non-Parquet file) propagate for the caller to word.
    """
    footer = pq.ParquetFile(pa.BufferReader(content))
    limits.check_parquet_footer(filename, footer.metadata)
    schema = footer.schema_arrow
    flat = [f for f in schema if not pa.types.is_nested(f.type)]
    text = [f.name for f in flat if is_text(f.type)]
    reader = pq.ParquetFile(
        pa.BufferReader(content), metadata=footer.metadata, read_dictionary=text
    )
    plain = pa.schema([_plain(f) for f in flat], metadata=schema.metadata)
    batches: list[pa.RecordBatch] = []
    decoded = 0
    for batch in reader.iter_batches(
        batch_size=_BATCH_ROWS, columns=[f.name for f in flat], use_pandas_metadata=True
    ):
        decoded += decoded_nbytes(batch)
        limits.check_decoded(filename, decoded)
        # expand now: a batch's dictionary holds every value read so far, so keeping the
        # batches encoded would cost more than the plain values do
        batches.append(batch.cast(plain))
    return pa.Table.from_batches(batches, schema=plain)


def _plain(field: pa.Field) -> pa.Field:
    """Dictionary columns (e.g. pandas categoricals) become their plain values."""
    if pa.types.is_dictionary(field.type):
        return field.with_type(field.type.value_type)
    return field
