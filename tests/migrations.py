"""Running one app's migrations to a point in tests of data migrations."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(target: tuple[str, str]):
    """The app of `target` migrated to `target`, every other app to its newest; the
    models as they are then."""
    executor = MigrationExecutor(connection)
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != target[0]]
    targets = [target, *others]
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def migrate_to_newest() -> None:
    """Every app at its newest migration again, as the tests after a migration's expect."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
