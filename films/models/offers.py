"""Where a film can be watched (affiliate links), and the clicks on them."""

import datetime

from django.core.validators import MinValueValidator, URLValidator
from django.db import connection, models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce

from filmdb.lib.urls import remembered_reverse
from filmdb.lib.validators import validate_visible_text
from films.models.films import Film

http_url_validator = URLValidator(
    schemes=["http", "https"],
    message="Geben Sie eine Adresse ein, die mit http:// oder https:// beginnt.",
)


class OfferQuerySet(models.QuerySet):
    def with_recent_clicks(self, today) -> "OfferQuerySet":
        """Each offer with its clicks of the 7 and the 30 days up to `today`."""

        def clicks_since(days: int) -> Coalesce:
            since = today - datetime.timedelta(days=days - 1)
            return Coalesce(Sum("clicks__clicks", filter=Q(clicks__day__gte=since)), 0)

        return self.annotate(clicks_7=clicks_since(7), clicks_30=clicks_since(30))


class Offer(models.Model):
    class Kind(models.TextChoices):
        STREAM = "stream", "Stream"
        RENT = "rent", "Leihen"
        BUY = "buy", "Kaufen"
        DVD = "dvd", "DVD"
        BLURAY = "bluray", "Blu-ray"

    # Indexed by films_offer_film_position_idx, which starts with film.
    film = models.ForeignKey(
        Film, on_delete=models.CASCADE, related_name="offers", verbose_name="Film", db_index=False
    )
    provider = models.CharField("Anbieter", max_length=100, validators=[validate_visible_text])
    kind = models.CharField("Art", max_length=10, choices=Kind.choices)
    url = models.URLField(
        "Link", max_length=1000, validators=[http_url_validator, validate_visible_text]
    )
    price = models.DecimalField(
        "Preis (€)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    position = models.PositiveSmallIntegerField("Position", default=0)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = "Angebot (Affiliate-Link)"
        verbose_name_plural = "Angebote (Affiliate-Links)"
        ordering = ["position", "pk"]
        constraints = [
            # Only web links: never javascript:, data: or other schemes in a visitor's click.
            models.CheckConstraint(
                condition=Q(url__startswith="https://") | Q(url__startswith="http://"),
                name="films_offer_url_http",
                violation_error_message=http_url_validator.message,
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0),
                name="films_offer_price_not_negative",
                violation_error_message="Der Preis darf nicht negativ sein.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["stream", "rent", "buy", "dvd", "bluray"]),
                name="films_offer_kind_valid",
                violation_error_message="Unbekannte Angebotsart.",
            ),
            models.CheckConstraint(
                condition=Q(provider__gt=""),
                name="films_offer_provider_present",
                violation_error_message="Ein Angebot braucht einen Anbieter.",
            ),
        ]
        indexes = [
            # Film page: a film's offers in their editorial order.
            models.Index(fields=["film", "position"], name="films_offer_film_position_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        """The address visitors follow: /weiter/<id>/ counts the click and redirects."""
        return remembered_reverse("offer-click", offer_id=self.pk)


class OfferClickQuerySet(models.QuerySet):
    def count_one(self, offer_id: int, day) -> None:
        """One more click on the offer that day, in one statement: concurrent clicks each
        add theirs (an upsert; PostgreSQL and SQLite share its syntax)."""
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (offer_id, day, clicks) VALUES (%s, %s, 1) "
                f"ON CONFLICT (offer_id, day) DO UPDATE SET clicks = {table}.clicks + 1",
                [offer_id, day],
            )


class OfferClick(models.Model):
    """How often visitors followed an offer's link on a day, and nothing about them."""

    offer = models.ForeignKey(
        Offer,
        on_delete=models.CASCADE,
        related_name="clicks",
        verbose_name="Angebot",
        db_index=False,
    )
    day = models.DateField("Tag")
    clicks = models.PositiveIntegerField("Klicks", default=0)

    objects = OfferClickQuerySet.as_manager()

    class Meta:
        verbose_name = "Klicks eines Tages"
        verbose_name_plural = "Klicks"
        constraints = [
            # Also the upsert's conflict target, and the index of an offer's days.
            models.UniqueConstraint(fields=["offer", "day"], name="films_offerclick_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y}: {self.clicks}"
