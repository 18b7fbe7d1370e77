// The pipeline board, enhanced: every change still goes through the page's own forms.
// - a reason field shows only when the chosen stage needs one;
// - the bulk form says how many cards are ticked;
// - a card dropped on a column fills in its move form with that stage and submits it,
//   or, for a stage that needs a reason, opens the form at the reason to choose.
(function () {
  "use strict";

  var board = document.querySelector("[data-board]");
  if (!board) {
    return;
  }
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("aria-live", "polite");
  board.parentNode.insertBefore(status, board);

  function needsReason(select) {
    var option = select.options[select.selectedIndex];
    return Boolean(option && option.hasAttribute("data-needs-reason"));
  }

  function showReason(form) {
    var select = form.querySelector("[data-stage-select]");
    var reason = form.querySelector(".board-reason");
    if (!select || !reason) {
      return;
    }
    var needed = needsReason(select);
    reason.hidden = !needed;
    reason.querySelector("select").required = needed;
  }

  document.querySelectorAll("form").forEach(function (form) {
    if (form.querySelector("[data-stage-select]")) {
      showReason(form);
      form.addEventListener("change", function (event) {
        if (event.target.matches("[data-stage-select]")) {
          showReason(form);
        }
      });
    }
  });

  var ticked = document.querySelector(".board-ticked");
  function countTicked() {
    var count = document.querySelectorAll("input[name=entries][form=bulk]:checked").length;
    ticked.textContent = count ? count + " ticked" : "";
  }
  if (ticked) {
    board.addEventListener("change", function (event) {
      if (event.target.matches("input[name=entries]")) {
        countTicked();
      }
    });
    countTicked();
  }

  board.querySelectorAll(".board-card").forEach(function (card) {
    if (!card.querySelector(".board-move form")) {
      return;
    }
    card.draggable = true;
    card.addEventListener("dragstart", function (event) {
      event.dataTransfer.setData("text/plain", card.id);
      event.dataTransfer.effectAllowed = "move";
      card.classList.add("is-dragging");
    });
    card.addEventListener("dragend", function () {
      card.classList.remove("is-dragging");
    });
  });

  function columnOf(element) {
    return element.closest(".board-column");
  }

  board.addEventListener("dragover", function (event) {
    var column = columnOf(event.target);
    if (column) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      column.classList.add("is-drop-target");
    }
  });
  board.addEventListener("dragleave", function (event) {
    var column = columnOf(event.target);
    if (column && !column.contains(event.relatedTarget)) {
      column.classList.remove("is-drop-target");
    }
  });
  board.addEventListener("drop", function (event) {
    var column = columnOf(event.target);
    if (!column) {
      return;
    }
    event.preventDefault();
    column.classList.remove("is-drop-target");
    var card = document.getElementById(event.dataTransfer.getData("text/plain"));
    if (!card || columnOf(card) === column) {
      return;
    }
    var details = card.querySelector(".board-move");
    var form = details.querySelector("form");
    var select = form.querySelector("[data-stage-select]");
    select.value = column.getAttribute("data-stage");
    showReason(form);
    if (column.hasAttribute("data-needs-reason")) {
      details.open = true;
      var reason = form.querySelector(".board-reason select");
      reason.focus();
      status.textContent = "Choose a reason, then press Move.";
      return;
    }
    status.textContent = "Moving…";
    form.requestSubmit();
  });
})();
