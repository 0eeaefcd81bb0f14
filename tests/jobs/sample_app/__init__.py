"""An app the jobs app has never heard of, declaring one job kind and one periodic job."""
