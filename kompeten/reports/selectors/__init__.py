"""Read-only report selectors, one module per report. Every aggregation runs in the
database (GROUP BY), in a fixed number of queries whatever the size of the data."""
