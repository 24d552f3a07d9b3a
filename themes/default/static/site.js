// Progressive enhancement for record pages: a "Copy citation" button beside
// "Cite this record". Without JavaScript the citation is plain, selectable
// text; nothing depends on this file.
(function () {
  "use strict";
  var citation = document.getElementById("citation");
  if (!citation || !navigator.clipboard) {
    return;
  }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "copy-button";
  button.textContent = "Copy citation";
  var status = document.createElement("p");
  status.className = "copy-status";
  status.setAttribute("role", "status");
  button.addEventListener("click", function () {
    var text = citation.textContent.replace(/\s+/g, " ").trim();
    navigator.clipboard.writeText(text).then(
      function () {
        status.textContent = "Citation copied.";
      },
      function () {
        status.textContent = "Could not copy: select the citation above and copy it.";
      }
    );
  });
  citation.insertAdjacentElement("afterend", status);
  citation.insertAdjacentElement("afterend", button);
})();
