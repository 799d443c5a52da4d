"""Importing IMDb's published datasets (tab-separated, `\\N` for null, .tsv or .tsv.gz)."""
