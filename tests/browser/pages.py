"""Every kind of public page, as a visitor reaches it with the demo film and a rated film
(the fixtures demo_film and rated_film) loaded."""

FILM_PAGE = "/filme/der-geschmack-von-rost-und-knochen-2012/"
RATED_FILM_PAGE = "/filme/zwei-kritiken-2020/"
# Two filters in use: on phones they fold behind "Filter (2)".
FILTERED_SEARCH = "/filme/?q=rost&genre=drama&fsk=12"

PUBLIC_PAGES = {
    "home": "/",
    "film search": "/filme/",
    "film search results": "/filme/?darsteller=cotillard",
    "film search without results": "/filme/?q=gibt-es-nicht",
    "film search with a wrong year": "/filme/?jahr_von=abc",
    "film page": FILM_PAGE,
    "film page of a rated film": RATED_FILM_PAGE,
    "film search with filters in use": FILTERED_SEARCH,
    "people search": "/personen/",
    "people search results": "/personen/?q=audiard",
    "person page": "/personen/jacques-audiard/",
    "reviews": "/kritiken/",
    "bestenliste": "/bestenliste/",
    "bestenliste with a bad decade": "/bestenliste/?jahrzehnt=1995",
    "genres": "/genres/",
    "genre page": "/genre/drama/",
    "year page": "/jahr/2012/",
    "kinostarts this week": "/kinostarts/",
    "kinostarts of the demo film's week": "/kinostarts/2013-01-10/",
    "affiliate links": "/affiliate-links/",
    "page not found": "/gibt-es-nicht/",
}
