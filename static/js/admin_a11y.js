"use strict";
// Names for the boxes select2 draws over the admin's autocomplete selects
// (issue 15, axe: aria-input-field-name, label, list). select2 hides the select
// that carries the label and shows a combobox of its own with a text box
// inside, both named only by the chosen row, so an empty one has no name; a multiple select's search field has
// none at all, and the list of chosen rows holds select2's clear button beside
// its items. select2 draws these when a page loads, when a row is added and on
// every choice, so they are named whenever they appear.
(function () {
    function nameOf(select) {
        if (select.getAttribute("aria-label")) {
            return select.getAttribute("aria-label");
        }
        const label = select.labels && select.labels[0];
        return label ? label.textContent.trim().replace(/:$/, "") : "";
    }

    function name(container) {
        const select = container.previousElementSibling;
        if (!select || select.tagName !== "SELECT") {
            return;
        }
        const text = nameOf(select);
        if (!text) {
            return;
        }
        container.querySelectorAll(
            ".select2-selection[role=combobox], .select2-search__field, " +
            ".select2-selection__rendered[role=textbox]"
        ).forEach(function (control) {
            if (control.getAttribute("aria-label") !== text) {
                control.setAttribute("aria-label", text);
            }
        });
        container.querySelectorAll("ul.select2-selection__rendered").forEach(
            function (list) {
                if (list.getAttribute("role") !== "list") {
                    list.setAttribute("role", "list");
                }
            }
        );
    }

    function nameAll() {
        document.querySelectorAll(".select2-container").forEach(name);
    }

    new MutationObserver(function (records) {
        for (const record of records) {
            const target = record.target.closest
                ? record.target.closest(".select2-container")
                : null;
            if (target) {
                name(target);
            } else if (record.addedNodes.length) {
                nameAll();
                return;
            }
        }
    }).observe(document.documentElement, {childList: true, subtree: true});
})();
