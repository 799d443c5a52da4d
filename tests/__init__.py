from pathlib import Path

# Every file a test reads lives in the repository, found from here: a fresh clone with
# nothing beside it runs the whole suite.
DATA = Path(__file__).resolve().parent / "data"
