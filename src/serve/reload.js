// plansite serve: live reload and the build-error overlay. Served only by
// `plansite serve`; never part of a built site.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.EventSource) {
    return;
  }
  // The script sits at <site root>/__plansite/reload.js.
  var root = new URL("../", script.src).pathname;
  var path = decodeURIComponent(location.pathname);
  var here = path.indexOf(root) === 0 ? path.slice(root.length) : path;
  if (here === "" || here.charAt(here.length - 1) === "/") {
    here += "index.html";
  }
  var dialog = null;

  function showErrors(errors) {
    closeOverlay();
    dialog = document.createElement("dialog");
    dialog.setAttribute("role", "alertdialog");
    dialog.setAttribute("aria-labelledby", "plansite-errors-title");
    dialog.setAttribute("aria-describedby", "plansite-errors-list");
    dialog.style.cssText =
      "max-width:min(60rem,95vw);max-height:90vh;overflow:auto;padding:1.5rem;" +
      "border:4px solid #b00020;background:#fff;color:#111;font:1rem/1.5 system-ui,sans-serif";
    var title = document.createElement("h2");
    title.id = "plansite-errors-title";
    title.tabIndex = -1;
    title.style.cssText = "margin-top:0;color:#b00020";
    title.textContent =
      "The site does not build: " + errors.length +
      (errors.length === 1 ? " error" : " errors");
    var intro = document.createElement("p");
    intro.textContent =
      "This page is the last version that built. Fix the file named below and save it; this message closes by itself when the site builds again.";
    var list = document.createElement("ol");
    list.id = "plansite-errors-list";
    errors.forEach(function (e) {
      var item = document.createElement("li");
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;font:0.9rem/1.4 ui-monospace,monospace;background:#f4f4f4;color:#111;padding:0.75rem";
      pre.textContent = e.text;
      item.appendChild(pre);
      list.appendChild(item);
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.style.cssText = "font:inherit;padding:0.4rem 1rem";
    close.addEventListener("click", closeOverlay);
    dialog.appendChild(title);
    dialog.appendChild(intro);
    dialog.appendChild(list);
    dialog.appendChild(close);
    document.body.appendChild(dialog);
    if (dialog.showModal) {
      dialog.showModal();
    } else {
      dialog.setAttribute("open", "");
    }
    title.focus();
  }

  function closeOverlay() {
    if (dialog) {
      if (dialog.open && dialog.close) {
        dialog.close();
      }
      dialog.remove();
      dialog = null;
    }
  }

  var events = new EventSource(new URL("events", script.src).href);
  events.addEventListener("reload", function (e) {
    var data = JSON.parse(e.data);
    if (data.paths.indexOf(here) !== -1) {
      location.reload();
    }
  });
  events.addEventListener("failed", function (e) {
    showErrors(JSON.parse(e.data).errors);
  });
  events.addEventListener("fixed", function () {
    closeOverlay();
  });
})();
