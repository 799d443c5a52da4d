"""The date a review shows: its first publication, which re-publishing it leaves."""

from django.db import migrations, models
from django.db.models import F, Q
from django.utils import timezone


def fill_first_publication(apps, schema_editor):
    """Each review's moment of publication, as it is now, is the first one its history can
    tell: a published review's (one still to come while scheduled) and that of a withdrawn
    one whose moment has passed."""
    Review = apps.get_model("reviews", "Review")
    Review.objects.filter(
        Q(status="published") | Q(published_at__lte=timezone.now()),
        published_at__isnull=False,
    ).update(first_published_at=F("published_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0009_admin_messages_formal"),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="first_published_at",
            field=models.DateTimeField(
                editable=False,
                help_text="Das Datum unter der Kritik; es bleibt, wenn sie erneut erscheint.",
                null=True,
                verbose_name="Erstmals veröffentlicht",
            ),
        ),
        migrations.RunPython(fill_first_publication, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="review",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "draft"),
                    models.Q(
                        ("first_published_at__isnull", False),
                        ("first_published_at__lte", models.F("published_at")),
                    ),
                    _connector="OR",
                ),
                name="reviews_review_first_published_not_after_published",
                violation_error_message=(
                    "Eine veröffentlichte Kritik braucht das Datum ihrer ersten "
                    "Veröffentlichung, und das liegt nicht nach ihrem jetzigen."
                ),
            ),
        ),
    ]
