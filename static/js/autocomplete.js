/* Suggestions for search fields, from /personen/autocomplete/.
 *
 * An input with data-autocomplete="alle|regie|darsteller" becomes a combobox: typing
 * shows up to ten suggestions below the field; arrow keys, Enter and a click pick one.
 * "alle" suggests films by title first (title, then year and director), then people;
 * the roles suggest people only. Picking a film opens its page. Picking a person fills
 * in the name; with data-autocomplete-submit it also submits the form, with
 * data-autocomplete-go="person" it opens the person's page (such a field suggests
 * people only). Forms work without it.
 */
(function () {
  "use strict";
  var ENDPOINT = "/personen/autocomplete/";
  var MIN_LETTERS = 3;
  var MAX_SHOWN = 10;
  var counter = 0;

  function setUp(input) {
    var list = document.createElement("ul");
    var listId = "vorschlaege-" + (++counter);
    var results = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    list.id = listId;
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Vorschläge");
    list.hidden = true;
    input.parentNode.insertBefore(list, input.nextSibling);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");
    input.parentNode.classList.add("has-suggestions");

    function close() {
      list.hidden = true;
      list.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      results = [];
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function pick(index) {
      var entry = results[index];
      if (!entry) return;
      close();
      if (entry.film || input.dataset.autocompleteGo === "person") {
        window.location.href = entry.url;
        return;
      }
      input.value = entry.name;
      if (input.hasAttribute("data-autocomplete-submit") && input.form) {
        input.form.submit();
      }
    }

    function filmDetail(film) {
      var parts = ["Film"];
      if (film.year) parts.push(String(film.year));
      if (film.director) parts.push("Regie: " + film.director);
      return parts.join(" · ");
    }

    function entries(data) {
      var films = input.dataset.autocompleteGo === "person" ? [] : data.films || [];
      var found = films.map(function (film) {
        return { film: true, name: film.title, detail: filmDetail(film), url: film.url };
      });
      (data.results || []).forEach(function (person) {
        found.push({ film: false, name: person.name, detail: person.known_for, url: person.url });
      });
      return found.slice(0, MAX_SHOWN);
    }

    function show(found) {
      close();
      results = found;
      if (!found.length) return;
      found.forEach(function (entry, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "suggestions__name";
        name.textContent = entry.name;
        option.appendChild(name);
        if (entry.detail) {
          var detail = document.createElement("span");
          detail.className = "suggestions__film";
          detail.textContent = entry.detail;
          option.appendChild(detail);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(i);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function fetchSuggestions() {
      var text = input.value.trim();
      if (text.replace(/\W/g, "").length < MIN_LETTERS) {
        close();
        return;
      }
      var request = ++latest;
      var params = new URLSearchParams({ q: text });
      if (input.dataset.autocomplete !== "alle") params.set("rolle", input.dataset.autocomplete);
      if (input.dataset.autocompleteGo === "person") params.set("nur", "personen");
      fetch(ENDPOINT + "?" + params.toString(), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (request === latest) show(entries(data)); })
        .catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("input[data-autocomplete]").forEach(setUp);
})();
