/* Name suggestions for search fields, from /personen/autocomplete/.
 *
 * An input with data-autocomplete="alle|regie|darsteller" becomes a combobox: typing
 * shows up to ten people; arrow keys, Enter and a click pick one. Picking fills in the
 * name; with data-autocomplete-submit it also submits the form, with
 * data-autocomplete-go="person" it opens the person's page. Forms work without it.
 */
(function () {
  "use strict";
  var ENDPOINT = "/personen/autocomplete/";
  var MIN_LETTERS = 3;
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
      var person = results[index];
      if (!person) return;
      close();
      if (input.dataset.autocompleteGo === "person") {
        window.location.href = person.url;
        return;
      }
      input.value = person.name;
      if (input.hasAttribute("data-autocomplete-submit") && input.form) {
        input.form.submit();
      }
    }

    function show(people) {
      close();
      results = people;
      if (!people.length) return;
      people.forEach(function (person, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.className = "suggestions__name";
        name.textContent = person.name;
        option.appendChild(name);
        if (person.known_for) {
          var film = document.createElement("span");
          film.className = "suggestions__film";
          film.textContent = person.known_for;
          option.appendChild(film);
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
      fetch(ENDPOINT + "?" + params.toString(), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (request === latest) show(data.results || []); })
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
