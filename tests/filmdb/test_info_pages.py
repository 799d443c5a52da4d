"""Impressum and Datenschutz: linked from every page, written by the Redaktion in the
admin, with history like all content."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from reversion.models import Version

from filmdb.models import InfoPage
from tests.admin_forms import change_form_data, errors_of
from tests.pages import page_text, visible_text


@pytest.fixture
def impressum(db) -> InfoPage:
    return InfoPage.objects.create(
        kind="impressum",
        title="Impressum",
        body="Verlag GmbH\nHauptstraße 5\n\n## Kontakt\nredaktion@example.com",
    )


def test_both_pages_answer_and_are_linked_from_the_film_page(client, demo_film):
    footer = page_text(client.get(demo_film.get_absolute_url())).split('class="site-footer"')[1]
    assert '<a href="/impressum/">Impressum</a>' in footer
    assert '<a href="/datenschutz/">Datenschutz</a>' in footer
    for path, heading in [("/impressum/", "Impressum"), ("/datenschutz/", "Datenschutzerklärung")]:
        response = client.get(path)
        assert response.status_code == 200
        text = visible_text(page_text(response))
        assert f"{heading} " in text
        assert "Platzhalter: Dieser Text gehört zu den Demodaten" in text


def test_the_demo_texts_are_loaded_once_and_an_edited_text_is_kept(demo_film):
    InfoPage.objects.filter(kind="impressum").update(body="Unser echtes Impressum.")
    call_command("load_demo", stdout=None)
    assert InfoPage.objects.get(kind="impressum").body == "Unser echtes Impressum."
    assert InfoPage.objects.count() == 2


def test_headings_paragraphs_and_lines_are_kept_and_markup_is_shown_as_text(client, impressum):
    impressum.body += "\n\n<script>alert(1)</script> & Co."
    impressum.save()
    html = page_text(client.get("/impressum/"))
    assert "<p>Verlag GmbH<br>Hauptstraße 5</p>" in html
    assert "<h2>Kontakt</h2>" in html and "<p>redaktion@example.com</p>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co." in html
    assert "<script>alert(1)" not in html


def test_a_page_not_written_yet_is_not_found(client, db):
    assert client.get("/datenschutz/").status_code == 404


def test_the_redaktion_edits_a_page_and_visitors_see_it_at_once(client, editor, impressum):
    assert "Hauptstraße 5" in page_text(client.get("/impressum/"))  # now in the page cache
    client.force_login(editor)
    url = reverse("admin:filmdb_infopage_change", args=[impressum.pk])
    form = client.get(url)
    assert 'name="kind"' not in page_text(form)  # which page it is stays as created
    response = client.post(url, change_form_data(form, body="Verlag GmbH\nNeue Straße 7"))
    assert response.status_code == 302
    client.logout()
    assert "Neue Straße 7" in page_text(client.get("/impressum/"))
    newest = Version.objects.get_for_object(impressum).first()
    assert newest.revision.user == editor and newest.field_dict["body"].endswith("Neue Straße 7")


def test_critics_may_not_change_the_pages(critic_client, impressum):
    url = reverse("admin:filmdb_infopage_change", args=[impressum.pk])
    assert critic_client.get(url).status_code == 403
    assert critic_client.post(url, {"title": "Gehackt", "body": "x"}).status_code == 403
    assert InfoPage.objects.get().title == "Impressum"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"body": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"title": "Impressum\x07"}, "das unsichtbare Zeichen U+0007"),
    ],
)
def test_a_bad_edit_is_refused_in_german_and_nothing_is_saved(
    editor_client, impressum, changes, message
):
    url = reverse("admin:filmdb_infopage_change", args=[impressum.pk])
    response = editor_client.post(url, change_form_data(editor_client.get(url), **changes))
    assert message in errors_of(response)
    impressum.refresh_from_db()
    assert (impressum.title, impressum.version) == ("Impressum", 1)


def test_the_database_keeps_one_page_of_each_kind_and_no_other(impressum):
    with pytest.raises(IntegrityError), transaction.atomic():
        InfoPage.objects.create(kind="impressum", title="Zweites", body="Text")
    with pytest.raises(IntegrityError), transaction.atomic():
        InfoPage.objects.create(kind="agb", title="AGB", body="Text")
    with pytest.raises(IntegrityError), transaction.atomic():
        InfoPage.objects.filter(pk=impressum.pk).update(body="")
