// Preview only (`make serve`): reload the page once a new build is ready.
(function () {
  "use strict";
  var seen = null;
  function check() {
    fetch("/_xem-truoc/trang-thai", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (seen === null) { seen = status.generation; }
        else if (status.generation !== seen) { window.location.reload(); return; }
        window.setTimeout(check, 700);
      })
      .catch(function () { window.setTimeout(check, 2000); });
  }
  check();
})();
