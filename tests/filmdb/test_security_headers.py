import pytest

PUBLIC = ["/", "/filme/der-geschmack-von-rost-und-knochen-2012/", "/filme/?q=rost", "/kritiken/"]


@pytest.mark.parametrize("url", PUBLIC)
def test_pages_send_a_script_policy_without_inline_scripts(client, demo_film, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


@pytest.mark.parametrize("url", PUBLIC)
def test_pages_send_the_other_security_headers(client, demo_film, url):
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_carry_no_inline_script_only_files_and_json_ld(client, demo_film):
    html = client.get("/filme/der-geschmack-von-rost-und-knochen-2012/").content.decode()
    for tag in html.split("<script")[1:]:
        opening = tag.split(">", 1)[0]
        assert 'src="' in opening or 'type="application/ld+json"' in opening, opening
