"""The public JSON API (/api/v1/): read-only, on the pages' own reading code."""
