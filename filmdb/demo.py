"""The demo data: the film page filmdb was born from, "Der Geschmack von Rost und Knochen",
the real films of the repository's IMDb extracts, and example Kinostarts among them."""

import datetime
import io
import uuid
from decimal import Decimal
from pathlib import Path
from typing import TextIO

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from filmdb.imdb.importer import imdb_import
from filmdb.lib.folding import german_slugify
from filmdb.models import InfoPage
from filmdb.pages.kinostarts import WEEK, current_week
from films.models import Film, Genre, Offer
from people.models import Credit, Person
from reviews.models import Review

FILM_SLUG = "der-geschmack-von-rost-und-knochen-2012"

SYNOPSIS = (
    "Als sich der mittellose Alain van Versch im nördlichen Frankreich erstmals alleine um "
    "seinen fünfjährigen Sohn Sam kümmern muss, braucht er unbedingt Geld. Also ruft er seine "
    "Schwester an, die im südlichen Antibes wohnt. Die Zeit für einen radikalen Neuanfang ist "
    "gekommen."
)

PLOT = (
    "Steph geht in ihrem Beruf als Waltrainerin im südfranzösischen Marineland auf. Der bullige "
    "Ali, der samt fünfjährigem Sohn bei seiner Schwester Unterschlupf und schließlich einen Job "
    "als Türsteher einer Disco gefunden hat, rettet Steph vor einem prügelnden Gast. Danach gehen "
    "sie ihrer Wege. Bis Steph bei einem Unfall ihre Beine verliert. Sie nimmt Kontakt zu Ali auf, "
    "weil er der einzige ist, von dem sie erwartet, dass er sie nicht bemitleiden wird - und steht "
    "ihm bei, als er mit illegalen Kickboxkämpfen ein Zubrot findet."
)

BACKGROUND = (
    "Die Geschichte einer unmöglichen Liebe, eine Variation von „Die Schöne und das Biest“, "
    "erzählt Jacques Audiard („Ein Prophet“, „Der wilde Schlag meines Herzens“) hier in seinem "
    "dritten Meisterwerk in Folge. Das Besondere: Er erzählt sie mit beispielloser Urgewalt als "
    "Charakterstudie zweier verlorener Seelen, wobei die von Oscar-Gewinnerin Marion Cotillard in "
    "ihrer bislang beeindruckendsten Darstellung gespielte Figur im Zentrum steht, und mit einer "
    "Wärme, die neu für sein Oeuvre ist: Großes, muskulöses Kino, das bewegt."
)

# (role, name, character) in the order of the film page's "Besetzung und Crew".
CREDITS = [
    (Credit.Role.DIRECTOR, "Jacques Audiard", ""),
    (Credit.Role.PRODUCER, "Martine Cassinelli", ""),
    (Credit.Role.PRODUCER, "Pascal Caucheteux", ""),
    (Credit.Role.CAST, "Marion Cotillard", "Stéphanie"),
    (Credit.Role.CAST, "Matthias Schoenaerts", "Ali"),
    (Credit.Role.CAST, "Armand Verdure", "Sam"),
    (Credit.Role.CAST, "Céline Sallette", "Louise"),
    (Credit.Role.CAST, "Corinne Masiero", "Anna"),
    (Credit.Role.CAST, "Bouli Lanners", "Martial"),
    (Credit.Role.CAST, "Jean-Michel Correia", "Richard"),
    (Credit.Role.CAST, "Mourad Frarema", "Foued"),
    (Credit.Role.WRITER, "Jacques Audiard", ""),
    (Credit.Role.WRITER, "Thomas Bidegain", ""),
    (Credit.Role.COMPOSER, "Alexandre Desplat", ""),
    (Credit.Role.CINEMATOGRAPHER, "Stéphane Fontaine", ""),
    (Credit.Role.EDITOR, "Juliette Welfling", ""),
    (Credit.Role.CASTING, "Richard Rousseau", ""),
]

REVIEW_BODY = """\
Mit seiner sechsten Regiearbeit "Der Geschmack von Rost und Knochen" legt Jacques Audiard ("Der wilde Schlag meines Herzens", "Ein Prophet") sein reifstes Werk vor. Sein Film lief 2012 im Wettbewerb der Cannes Filmfestspiele und begeisterte die Kritiker. Während die Mischung aus Sozial- und Liebesdrama bei der Jury keine Beachtung fand, entwickelte sich "Der Geschmack von Rost und Knochen" in Frankreich zum Kassenhit. Ebenso euphorisch reagierte das Publikum bei der Deutschlandpremiere auf dem Münchner Filmfest und quittierte einzelne Szenen mit Zwischenbeifall. Für seine nüchterne, zurückhaltende Liebesgeschichte zwischen einem ruppigen Kickboxer und einer selbstbewussten Wal-Trainerin griffen Audiard und sein Co-Autor Thomas Bidegain auf zwei Kurzgeschichten von Craig Davidson zurück. Dabei setzt Jacques Audiard auf die eindringliche Kombination aus Bildern, Geräuschen, Musik, Schnitt und atmosphärischen Impressionen, um visuell Emotionen zu erzeugen.

Und auch in "Der Geschmack von Rost und Knochen" finden sich für Audiard typische Themen wie Generationskonflikte und das Aufeinandertreffen zweier gegensätzlicher Charaktere, meistens verknüpft mit einem Kriminalfall. Das Konzept eines ungleichen Duos durchzieht fast das komplette Oeuvre Audiards: Vom Privatdetektiv mit Tochterkomplex und einer schönen Mörderin im Drehbuch zu "Das Auge", dem halbseidenen Spieler und seinem naiven Handlanger in "Wenn Männer fallen" bis zur enttäuschten, schwerhörigen Angestellten und dem bedrängten Ex-Knacki in „Lippenbekenntnisse/Tödliche Bekenntnisse“ agieren die Paare teils mit-, teils gegeneinander in verhängnisvoller Partnerschaft. Der Krimi-Plot mit Alis kriminellen Nebengeschäften spielt in "Der Geschmack von Rost und Knochen" eine eher untergeordnete Rolle und dient lediglich dazu, die Situation für den abgebrühten Außenseiter weiter zuzuspitzen. Eine unkomplizierte Romanze mit der nach ihrem Unfall gebrochenen Stéphanie darf man daher nicht erwarten. Außer körperlicher Anziehung haben beide Protagonisten zunächst kaum etwas gemein, was keine viel versprechende Perspektive für eine mögliche Zukunft darstellt.

Ali lässt sich von einem One-Night-Stand und von einem (mitunter illegalen) Job zum nächsten treiben. Gerade deshalb ruft ihn Stéphanie in ihrer desolaten Lage an, da sie von dem unsensiblen Security-Angestellten kein künstliches Mitleid zu erwarten braucht. Im zunächst rein geschäftlichen Miteinander prallen zwei Welten aufeinander, die sich gegenseitig nichts schenken. Selbst der Sex zwischen ihnen entspringt schließlich einer nüchternen Vereinbarung. Zunächst will sich Stéphanie nur versichern, dass sie überhaupt noch lebt, da sich die Frau mit den Beinprothesen schon beinahe aufgegeben hat.

Erst durch Alis illegale Boxkämpfe, zu denen er sie zunächst als Begleitung, später als eine Art Managerin mitnimmt, entdecken beide einen gemeinsamen Nenner. Doch so einfach entwickelt sich die Situation selbst danach nicht für beide Charaktere. Stéphanies Beinstümpfe und Alis Kampfverletzungen, mehrfach ins Bild gerückt, lassen eine romantische Stimmung nicht aufkommen. Zugleich verweisen die äußerlichen Verletzungen auf ihre seelische Versehrtheit. Erst zögerlich und durch eine Beinah-Katastrophe findet Ali nebenbei echten Zugang zu seinem Sohn.

Trefflich unterstützen Audiards Bilder die jeweilige Stimmung, wobei er trotz des mediterranen Settings auf Glamour und Postkartenansichten verzichtet. Zu Beginn unterstreicht eine Choreografie Stéphanies Verbundenheit zu den dressierten Walen. Wenn sie diese Bewegungen im letzten Drittel wiederholt, verdeutlicht die optimistische Sequenz ihre tastende Rückkehr ins Leben, wobei sich ihre Emotionen von Enttäuschung bis Freude allein auf Marion Cotillards Gesicht spiegeln. Jacques Audiard schuf ein so sinnliches wie direktes, körperliches Filmerlebnis, das zu den ersten Höhepunkten des Kinojahres zählt."""

REVIEW_VERDICT = (
    '"Der Geschmack von Rost und Knochen" ist ein unsentimentales, fesselndes Liebesdrama, das '
    "von glaubwürdigen Charakteren, einer realistischen Milieuschilderung und der visuell starken "
    "Bildsprache lebt. Einer der Höhepunkte 2013."
)

# The seed gives no stars; its verdict ("unsentimental, fesselnd", "Einer der Höhepunkte
# 2013") reads as four of five.
REVIEW_RATING = 4
# Published on the film's German start, as the review's "ersten Höhepunkten des
# Kinojahres" has it, not on the day the demo is loaded.
REVIEW_PUBLISHED = datetime.datetime(2013, 1, 10, 10, 0, tzinfo=datetime.UTC)

DEMO_CRITIC = "demo-kritik"

# Rust and the sea at Antibes: the demo poster's colours.
RUST, SEA = (142, 62, 28), (18, 52, 74)


def demo_poster(title: str, width: int = 600, height: int = 900) -> bytes:
    """A titled placeholder poster in the film's colours, made with Pillow."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        share = y / (height - 1)
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(round(r + (s - r) * share) for r, s in zip(RUST, SEA, strict=True)),
        )
    font = ImageFont.load_default(size=width // 12)
    lines, line = [], ""
    for word in title.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > width * 0.8 and line:
            lines.append(line)
            candidate = word
        line = candidate
    lines.append(line)
    top = height * 0.62
    for number, text in enumerate(lines):
        position = (width / 2, top + number * width // 9)
        draw.text(position, text, font=font, fill="white", anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=88)
    return buffer.getvalue()


PLACEHOLDER = (
    "Platzhalter: Dieser Text gehört zu den Demodaten und ist kein gültiger Text für eine "
    "echte Website. Ersetze ihn in der Redaktion (Seiten) durch deinen eigenen, bevor "
    "filmdb öffentlich erreichbar ist."
)
INFO_PAGES = {
    "impressum": (
        "Impressum",
        f"""{PLACEHOLDER}

## Angaben gemäß § 5 DDG
Beispiel-Verlag GmbH (Platzhalter)
Musterstraße 1
12345 Musterstadt

## Kontakt
E-Mail: redaktion@example.com

## Verantwortlich für den Inhalt
Erika Mustermann (Platzhalter), Anschrift wie oben""",
    ),
    "datenschutz": (
        "Datenschutzerklärung",
        f"""{PLACEHOLDER}

## Verantwortliche Stelle
Beispiel-Verlag GmbH (Platzhalter), Musterstraße 1, 12345 Musterstadt

## Was filmdb speichert
Wenn du filmdb liest, setzt die Website keine Cookies. Klicks auf Angebote zählt filmdb \
je Angebot und Tag, ohne IP-Adresse, Browserkennung, Cookie oder Sitzung.

## Deine Rechte
Du hast das Recht auf Auskunft, Berichtigung, Löschung und Beschwerde bei einer \
Aufsichtsbehörde (Art. 15 bis 21 und 77 DSGVO).""",
    ),
}


@transaction.atomic
@reversion.create_revision()
def demo_load() -> Film:
    """Create the demo film with its people, credits, review and offer; never change them.

    What already exists is left as it is (an editor may have changed it), so running this
    twice changes nothing. What it creates is the first version in the admin's history.
    """
    reversion.set_comment("Demodaten angelegt")
    drama, _ = Genre.objects.get_or_create(slug="drama", defaults={"name": "Drama"})
    film, created = Film.objects.get_or_create(
        slug=FILM_SLUG,
        defaults={
            "title": "Der Geschmack von Rost und Knochen",
            "original_title": "De rouille et d'os",
            "year": 2012,
            "release_date": datetime.date(2013, 1, 10),
            "runtime": 120,
            "fsk": Film.FSK.FSK_12,
            "countries": "Frankreich, Belgien",
            "distributor": "Wild Bunch Germany",
            "synopsis": SYNOPSIS,
            "plot": PLOT,
            "background": BACKGROUND,
            "imdb_id": "tt2053425",
            "status": Film.Status.PUBLISHED,
            # The demo poster is a placeholder drawn by load_demo, not the film's own.
            "poster_credit": "Platzhalter: filmdb",
            "poster_credit_note": "Kein echtes Filmplakat",
        },
    )
    if created:
        film.genres.add(drama)
        film.poster.save(f"{uuid.uuid4().hex}.jpg", ContentFile(demo_poster(film.title)))

    for order, (role, name, character) in enumerate(CREDITS):
        person, _ = Person.objects.get_or_create(slug=german_slugify(name), defaults={"name": name})
        Credit.objects.get_or_create(
            film=film, person=person, role=role, character=character, defaults={"order": order}
        )

    critic, created = get_user_model().objects.get_or_create(
        username=DEMO_CRITIC,
        defaults={"first_name": "filmdb", "last_name": "Redaktion", "is_staff": True},
    )
    if created:
        critic.set_unusable_password()
        critic.save(update_fields=["password"])
        critic.groups.add(Group.objects.get(name="Kritik"))
    review, created = Review.objects.get_or_create(
        film=film,
        author=critic,
        defaults={
            "byline": "filmdb-Redaktion",
            "body": REVIEW_BODY,
            "verdict": REVIEW_VERDICT,
            "rating": REVIEW_RATING,
            "status": Review.Status.PUBLISHED,
            "published_at": REVIEW_PUBLISHED,
        },
    )
    # Loaded by an older demo without stars and still its first version (nobody has edited
    # it since): it gets the stars and the date a fresh load gives it.
    if not created and review.rating is None and review.version == 1:
        review.rating, review.published_at = REVIEW_RATING, REVIEW_PUBLISHED
        review.save()
    Offer.objects.get_or_create(
        film=film,
        provider="Beispiel-Videothek",
        kind=Offer.Kind.STREAM,
        defaults={
            "url": "https://www.example.com/filme/der-geschmack-von-rost-und-knochen",
            "price": Decimal("3.99"),
        },
    )
    for kind, (title, body) in INFO_PAGES.items():
        InfoPage.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})
    return film


# Real films for genres, years, people and search: the repository's IMDb extracts, which
# the import's tests read too (tests/data/imdb-sample/SOURCE.md says where they are from).
IMDB_EXTRACTS: Path = settings.BASE_DIR / "tests" / "data" / "imdb-sample"
IMDB_FOLDERS = ["small-mixed", "famous-akas"]


def demo_import(*, out: TextIO) -> None:
    """Import the IMDb extracts as published films; a second import changes nothing."""
    for folder in IMDB_FOLDERS:
        imdb_import(directory=IMDB_EXTRACTS / folder, types={"movie", "tvMovie"}, out=out)


EXAMPLE_NOTE = (
    "Beispiel: Dieser Kinostart ist ein Beispiel der Demodaten. Der Film und seine Angaben "
    "stammen aus IMDbs Datensätzen, nur der Starttermin ist erfunden."
)
# (IMDb id, cinema weeks after the current one): imported real films with people, whose
# German start the demo invents so that this week's and the coming weeks' Kinostarts show
# films. IMDb's files give no German start, so no real date is overwritten.
EXAMPLE_KINOSTARTS = [
    ("tt0460791", 0),  # The Fall (2006)
    ("tt6166228", 0),  # Guadalajara (2018)
    ("tt0037820", 1),  # Isle of the Dead (1945)
    ("tt0810422", 2),  # Matchmaker - Auf der Suche nach dem koscheren Mann (2005)
    ("tt1146283", 3),  # Foreign Exchange (2008)
]


@transaction.atomic
@reversion.create_revision()
def demo_kinostarts() -> list[Film]:
    """Give the imported EXAMPLE_KINOSTARTS films a start in this cinema week and the
    coming ones, counted from today, with EXAMPLE_NOTE as their synopsis.

    A film whose synopsis an editor has written is left alone. A later run moves the
    examples to the weeks current then; on the same day it changes nothing.
    """
    reversion.set_comment("Demodaten: Beispiel-Kinostarts")
    films = Film.objects.in_bulk(
        [imdb_id for imdb_id, _ in EXAMPLE_KINOSTARTS], field_name="imdb_id"
    )
    first = current_week()
    examples = []
    for imdb_id, weeks in EXAMPLE_KINOSTARTS:
        film = films.get(imdb_id)
        if film is None or film.synopsis not in ("", EXAMPLE_NOTE):
            continue
        start = first + weeks * WEEK
        if (film.synopsis, film.release_date) != (EXAMPLE_NOTE, start):
            film.synopsis, film.release_date = EXAMPLE_NOTE, start
            film.save()
        examples.append(film)
    return examples
