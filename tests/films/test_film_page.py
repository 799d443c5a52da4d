import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.urls import reverse

from filmdb.pages.film_page import film_page
from films.models import Film, FilmRedirect, Offer
from people.models import Credit, Person
from reviews.models import Review
from tests.conftest import make_user
from tests.pages import json_ld, page_text, visible_text

DEMO_URL = "/filme/der-geschmack-von-rost-und-knochen-2012/"


def test_film_page_shows_every_part_of_the_seed_in_its_order(client, demo_film):
    html = page_text(client.get(DEMO_URL))
    text = visible_text(html)
    in_order = [
        "Der Geschmack von Rost und Knochen",
        "Originaltitel: De rouille et d'os",
        "Jahr 2012",
        "Produktionsland Frankreich, Belgien",
        "Laufzeit 120 Minuten",
        "FSK ab 12 Jahren",
        "Genre Drama",
        "Kinostart 10. Januar 2013",
        "Verleih Wild Bunch Germany",
        "Platzhalter: filmdb · Kein echtes Filmplakat",
        "Anzeige",
        "De rouille et d'os: Als sich der mittellose Alain van Versch",
        "Erfahre mehr zu unseren Affiliate-Links",
        "Wenn du über diese Links einkaufst, erhalten wir eine Provision",
        "Mehr erfahren",
        "Beispiel-Videothek: Stream für 3,99 €",
        "Handlung und Hintergrund",
        "und steht ihm bei, als er mit illegalen Kickboxkämpfen ein Zubrot findet",
        "Die Geschichte einer unmöglichen Liebe",
        "Besetzung und Crew",
        "Regisseur Jacques Audiard",
        "Produzent Martine Cassinelli Pascal Caucheteux",
        "Darsteller Marion Cotillard als Stéphanie Matthias Schoenaerts als Ali",
        "Mourad Frarema als Foued",
        "Drehbuch Jacques Audiard Thomas Bidegain",
        "Musik Alexandre Desplat",
        "Kamera Stéphane Fontaine",
        "Schnitt Juliette Welfling",
        "Casting Richard Rousseau",
        "Kritikerrezensionen",
        "Mit seiner sechsten Regiearbeit",
        "Mehr anzeigen",
        "Trefflich unterstützen Audiards Bilder",
        'Fazit: "Der Geschmack von Rost und Knochen" ist ein unsentimentales',
        "Anzeige",
    ]
    position = 0
    for part in in_order:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} missing after position {position}"
        position = found + len(part)
    assert html.count('class="ad-slot ') == 2
    assert html.count("<h1>") == 1


def test_offers_are_marked_sponsored_with_the_affiliate_symbol(client, demo_film):
    html = page_text(client.get(DEMO_URL))
    offer = demo_film.offers.get()
    assert f'<a href="/weiter/{offer.pk}/" rel="sponsored noopener" target="_blank">' in html
    assert 'alt="Affiliate-Link"' in html
    assert 'href="/affiliate-links/">Mehr erfahren</a>' in html


def test_review_text_is_folded_behind_mehr_anzeigen_and_the_fazit_stays_visible(client, demo_film):
    html = page_text(client.get(DEMO_URL))
    details = re.search(r"<details class=\"review__more\">(.*?)</details>", html, flags=re.S)
    assert '<summary><span class="when-closed">Mehr anzeigen</span>' in details.group(1)
    assert "Trefflich unterstützen Audiards Bilder" in details.group(1)
    assert "Mit seiner sechsten Regiearbeit" not in details.group(1)
    assert "Fazit:" not in details.group(1)
    assert "<strong>Fazit:</strong>" in html[details.end() :]


def test_rating_is_shown_in_words_and_stars(client, demo_film):
    Review.objects.update(rating=4)
    text = visible_text(page_text(client.get(DEMO_URL)))
    assert "★★★★☆ 4 von 5 Sternen" in text


def test_empty_sections_are_left_out(client, make_film):
    film = make_film("Nur ein Titel", 2020, status="published")
    html = page_text(client.get(film.get_absolute_url()))
    # The page's own text: the header's navigation names "Kinostarts".
    text = visible_text(html[html.index("<main") :])
    for heading in [
        "Handlung und Hintergrund",
        "Besetzung und Crew",
        "Kritikerrezensionen",
        "Erfahre mehr zu unseren Affiliate-Links",
        "Originaltitel",
        "Kinostart",
        "Weitere Titel",
    ]:
        assert heading not in text
    assert text.count("Anzeige") == 2


def test_every_name_links_to_the_person_page_and_dub_voices_stand_beside_their_actor(
    client, demo_film, make_person
):
    cotillard = demo_film.credits.get(person__name="Marion Cotillard")
    voice = make_person("Bettina Beispiel")
    Credit.objects.create(
        film=demo_film, person=voice, role="dubbing", character="Stéphanie", voices=cotillard
    )
    html = page_text(client.get(DEMO_URL))
    for person in Person.objects.filter(credits__film=demo_film).distinct():
        assert f'href="{person.get_absolute_url()}"' in html
    text = visible_text(html)
    assert "Marion Cotillard als Stéphanie – deutsche Stimme: Bettina Beispiel" in text
    assert "Synchronsprecher" not in text


def test_draft_film_is_404_for_visitors_and_bannered_for_staff(client, editor, make_film):
    film = make_film("Geheimprojekt", 2025)
    assert film.status == Film.Status.DRAFT
    response = client.get(film.get_absolute_url())
    assert response.status_code == 404
    assert "Diese Seite gibt es nicht" in page_text(response)

    client.force_login(editor)
    response = client.get(film.get_absolute_url())
    assert response.status_code == 200
    assert "Entwurf – diese Seite ist nur für die Redaktion sichtbar." in page_text(response)


def test_draft_reviews_are_hidden_from_visitors_and_shown_to_staff(client, editor, demo_film):
    Review.objects.create(
        film=demo_film, author=editor, headline="Noch nicht fertig", body="Text", verdict="Fazit"
    )
    assert "Noch nicht fertig" not in page_text(client.get(DEMO_URL))
    client.force_login(editor)
    assert "Noch nicht fertig" in page_text(client.get(DEMO_URL))


def test_a_changed_slug_answers_the_old_url_with_a_301(client, editor_client, demo_film):
    change = reverse("admin:films_film_change", args=[demo_film.pk])
    form = editor_client.get(change).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name in form.fields and name != "poster" and not isinstance(value, list)
    }
    data.update(
        slug="rost-und-knochen-2012",
        genres=[genre.pk for genre in demo_film.genres.all()],
        **inline_management(demo_film),
    )
    response = editor_client.post(change, data)
    assert response.status_code == 302

    client.logout()
    old = client.get(DEMO_URL)
    assert old.status_code == 301
    assert old["Location"] == "/filme/rost-und-knochen-2012/"
    assert client.get("/filme/rost-und-knochen-2012/").status_code == 200

    Film.objects.filter(pk=demo_film.pk).update(status="draft")
    assert client.get(DEMO_URL).status_code == 404  # a draft is not revealed by its old URL


def inline_management(film) -> dict:
    data = {}
    for prefix, rows in [
        ("offers", film.offers.all()),
        ("alternative_titles", film.alternative_titles.all()),
        ("credits", film.credits.all()),
    ]:
        rows = list(rows)
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": len(rows),
                f"{prefix}-INITIAL_FORMS": len(rows),
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = row.pk
            data[f"{prefix}-{index}-film"] = film.pk
            if prefix == "offers":
                fields = {
                    "provider": row.provider,
                    "kind": row.kind,
                    "url": row.url,
                    "price": row.price,
                    "position": row.position,
                }
            elif prefix == "credits":
                fields = {
                    "role": row.role,
                    "person": row.person_id,
                    "character": row.character,
                    "voices": row.voices_id or "",
                    "order": row.order,
                }
            else:
                fields = {"title": row.title, "region": row.region, "kind": row.kind}
            data.update({f"{prefix}-{index}-{key}": value for key, value in fields.items()})
    return data


def test_slug_changed_back_does_not_redirect_to_itself(client, make_film):
    film = make_film("Hin und her", 2001, slug="hin-und-her-2001", status="published")
    FilmRedirect.remember(owner=film, old_slug="zwischentitel-2001")
    film.slug = "zwischentitel-2001"
    film.save()
    FilmRedirect.remember(owner=film, old_slug="hin-und-her-2001")
    current = client.get("/filme/zwischentitel-2001/")
    assert current.status_code == 200
    assert "<h1>Hin und her</h1>" in page_text(current)
    old = client.get("/filme/hin-und-her-2001/")
    assert old.status_code == 301
    assert old["Location"] == "/filme/zwischentitel-2001/"
    followed = client.get("/filme/hin-und-her-2001/", follow=True)
    assert followed.redirect_chain == [("/filme/zwischentitel-2001/", 301)]
    assert followed.status_code == 200
    assert "<h1>Hin und her</h1>" in page_text(followed)


def test_json_ld_describes_the_movie_with_director_actors_and_review(client, demo_film):
    html = page_text(client.get(DEMO_URL))
    (movie,) = json_ld(html)
    assert movie["@type"] == "Movie"
    assert movie["name"] == "Der Geschmack von Rost und Knochen"
    assert movie["dateCreated"] == "2012"
    assert [person["name"] for person in movie["director"]] == ["Jacques Audiard"]
    assert movie["actor"][0]["name"] == "Marion Cotillard"
    assert len(movie["actor"]) == 8
    assert movie["review"][0]["@type"] == "Review"
    assert movie["review"][0]["author"]["name"] == "filmdb-Redaktion"


def test_json_ld_cannot_be_broken_out_of_by_editor_text(client, make_film):
    film = make_film(
        "</script><script>alert(1)</script>", 2020, slug="boese-2020", status="published"
    )
    html = page_text(client.get(film.get_absolute_url()))
    assert "<script>alert(1)" not in html
    (movie,) = json_ld(html)
    assert movie["name"] == "</script><script>alert(1)</script>"


def test_seo_tags_name_the_canonical_url_and_open_graph(client, demo_film):
    html = page_text(client.get(DEMO_URL))
    canonical = f"http://testserver{DEMO_URL}"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta property="og:type" content="video.movie">' in html
    assert '<meta property="og:title" content="Der Geschmack von Rost und Knochen">' in html
    assert '<meta name="description" content="Als sich der mittellose Alain' in html
    assert "<title>Der Geschmack von Rost und Knochen (2012) – Film | filmdb</title>" in html


def test_editor_text_is_escaped_with_its_paragraphs_kept(client, editor, make_film):
    film = make_film("Escape", 2020, slug="escape-2020", status="published")
    Review.objects.create(
        film=film,
        author=editor,
        body="<script>alert('x')</script> erster Absatz\n\n<b>zweiter</b> Absatz",
        verdict="<img src=x onerror=alert(1)>",
        status="published",
    )
    html = page_text(client.get(film.get_absolute_url()))
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; erster Absatz" in html
    assert "<p>&lt;b&gt;zweiter&lt;/b&gt; Absatz</p>" in html
    assert "<img src=x" not in html


def test_a_plot_full_of_angle_brackets_gives_a_film_page_that_shows_it_escaped(
    client, make_film, make_person
):
    # Django's striptags refuses such text (SuspiciousOperation: a 400 for the whole page);
    # the descriptions are plain text, escaped like all editor text.
    plot = "<a" * 600
    film = make_film("Klammern", 2020, plot=plot, status="published")
    response = client.get(film.get_absolute_url())
    assert response.status_code == 200
    html = page_text(response)
    assert f'<meta name="description" content="{"&lt;a" * 79}&lt;…">' in html
    assert f"<p>{'&lt;a' * 600}</p>" in html
    person = make_person("Klammer", bio=plot)
    Credit.objects.create(film=film, person=person, role="writer")
    assert client.get(person.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4="])
def test_offer_urls_other_than_http_are_refused_when_saved(editor_client, demo_film, url):
    offer = Offer(film=demo_film, provider="Böse", kind="buy", url=url)
    with pytest.raises(Exception) as refused:
        offer.full_clean()
    assert "http:// oder https://" in str(refused.value)


def test_film_page_with_200_credits_and_10_reviews_takes_one_query(
    client, demo_film, django_assert_num_queries
):
    people = Person.objects.bulk_create(
        Person(name=f"Mitwirkende {n}", slug=f"mitwirkende-{n}") for n in range(200)
    )
    Credit.objects.bulk_create(
        Credit(
            film=demo_film,
            person=person,
            role=role,
            character=f"Figur {n}" if role == "cast" else "",
            order=20 + n,
        )
        for n, (person, role) in enumerate(
            zip(people, ["cast", "writer", "producer", "editor"] * 50, strict=True)
        )
    )
    critic = make_user("vielschreiber", "Kritik")
    Review.objects.bulk_create(
        Review(
            film=demo_film,
            author=critic,
            body=f"Text {n}\n\nMehr {n}",
            verdict=f"Fazit {n}",
            status="published",
            published_at=demo_film.created_at,
            first_published_at=demo_film.created_at,
        )
        for n in range(10)
    )
    # The first film page in a process compiles its query (and SQLite's JSON support is
    # asked then): counted is every visit after that, whichever test came first.
    film_page(demo_film.slug)
    with django_assert_num_queries(1):
        response = client.get(DEMO_URL)
    text = visible_text(page_text(response))
    assert "Mitwirkende 199" in text  # every credit is on the page
    assert "Alle anzeigen" in text
    assert text.count("Fazit:") == 11


def test_templates_never_query_whatever_the_user(rf, demo_film, django_assert_num_queries):
    from filmdb.pages.film_views import film_detail

    request = rf.get(DEMO_URL)
    request.user = AnonymousUser()
    film_page(demo_film.slug)  # as in the test above: every visit after the first
    with django_assert_num_queries(1):
        film_detail(request, slug="der-geschmack-von-rost-und-knochen-2012")


def test_everything_on_the_film_page_keeps_its_order_whatever_order_it_was_saved_in(
    client, editor, make_film, make_person
):
    film = make_film("Reihenfolge", 2021, status="published")
    for order, name in [(3, "Dritte Darstellerin"), (1, "Erster Darsteller"), (2, "Zweite")]:
        Credit.objects.create(
            film=film, person=make_person(name), role="cast", character=name, order=order
        )
    Credit.objects.create(film=film, person=make_person("Regie Person"), role="director", order=9)
    for position, provider in [(2, "Später"), (0, "Zuerst"), (1, "Danach")]:
        Offer.objects.create(
            film=film, provider=provider, kind="buy", url="https://example.com/", position=position
        )
    for name in ["Western", "Drama", "Komödie"]:
        film.genres.create(name=name, slug=name.lower())
    for region, title in [("IT", "Il titolo"), ("AT", "Der Titel"), ("AT", "Ein Titel")]:
        film.alternative_titles.create(title=title, region=region)
    for day, headline in [(3, "Mittlere Kritik"), (9, "Neueste Kritik"), (1, "Älteste Kritik")]:
        Review.objects.create(
            film=film,
            author=editor,
            headline=headline,
            body="Text",
            verdict="Fazit",
            status="published",
            published_at=film.created_at - timedelta(days=10 - day),
        )

    text = visible_text(page_text(client.get(film.get_absolute_url())))

    def in_order(*parts):
        positions = [text.index(part) for part in parts]
        return positions == sorted(positions)

    assert in_order("Regisseur Regie Person", "Darsteller Erster", "Zweite", "Dritte")
    assert in_order("Zuerst", "Danach", "Später")
    assert "Genre Drama, Komödie, Western" in text
    assert in_order("Der Titel (AT)", "Ein Titel (AT)", "Il titolo (IT)")
    assert in_order("Neueste Kritik", "Mittlere Kritik", "Älteste Kritik")


def test_editors_see_a_draft_review_above_the_published_ones(client, editor, demo_film):
    Review.objects.create(
        film=demo_film, author=editor, headline="Noch im Entwurf", body="Text", verdict="Fazit"
    )
    client.force_login(editor)
    text = visible_text(page_text(client.get(DEMO_URL)))
    published = Review.objects.get(film=demo_film, status="published")
    assert text.index("Noch im Entwurf") < text.index(published.verdict)
    assert "Entwurf – nur für die Redaktion sichtbar." in text


def test_offer_prices_and_review_dates_read_the_same_on_every_database(client, make_film, editor):
    film = make_film("Preise", 2020, status="published")
    Offer.objects.create(film=film, provider="Rund", kind="buy", url="https://e.com/", price=10)
    Offer.objects.create(
        film=film, provider="Krumm", kind="rent", url="https://e.com/", price="0.5"
    )
    Review.objects.create(
        film=film,
        author=editor,
        body="Text",
        verdict="Fazit",
        status="published",
        # 23:30 UTC is already the next day in Berlin.
        published_at=datetime(2024, 5, 31, 23, 30, tzinfo=UTC),
    )
    text = visible_text(page_text(client.get(film.get_absolute_url())))
    assert "Rund: Kaufen für 10,00 €" in text
    assert "Krumm: Leihen für 0,50 €" in text
    assert "1. Juni 2024" in text


@pytest.mark.postgresql
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_the_film_page_query_is_planned_once_per_connection(client, demo_film, settings):
    settings.PAGE_CACHE_SECONDS = 0
    for _ in range(6):
        assert client.get(DEMO_URL).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%"films_alternativetitle" U0 WHERE U0."film_id" = ("films_film"."id")%'],
        )
        assert cursor.fetchone()[0] == 1


def test_json_ld_rates_the_film_by_its_published_critics_ratings(client, demo_film, critic):
    (movie,) = json_ld(page_text(client.get(DEMO_URL)))
    assert movie["aggregateRating"]["ratingValue"] == 4.0  # the demo review's four stars
    assert movie["aggregateRating"]["reviewCount"] == 1
    for rating, status in [(5, "published"), (3, "published"), (1, "draft")]:
        Review.objects.create(
            film=demo_film,
            author=critic,
            body="Text.",
            verdict="Fazit.",
            rating=rating,
            status=status,
        )
    (movie,) = json_ld(page_text(client.get(DEMO_URL)))
    assert movie["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": 4.0,
        "reviewCount": 3,
        "bestRating": 5,
        "worstRating": 1,
    }
