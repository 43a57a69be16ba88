"""One module per benchmark. Each defines NAME, DESCRIPTION, TARGETS (target names)
and run(ctx, args) -> dict; bench/run.py discovers them here."""
