// Jobyard's pages: the one script (served as a file; the Content-Security-Policy allows nothing inline).
// Without JavaScript every page works; this adds live follow of a running job's log.
(function () {
  'use strict';

  function follow(log) {
    var streamUrl = log.dataset.followUrl;
    var fragmentUrl = log.dataset.fragmentUrl;
    var offset = Number(log.dataset.offset);
    var nextLine = Number(log.dataset.nextLine);
    var state = document.getElementById('follow-state');
    var autoScroll = true;
    var busy = false;
    var again = false;
    var done = false;
    var poller = null;
    var source = null;

    function nearBottom() {
      return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 40;
    }

    // Auto-scroll stops when the reader scrolls up, and comes back when they return to the bottom.
    window.addEventListener('scroll', function () { autoScroll = nearBottom(); }, { passive: true });

    function say(text) { if (state) { state.textContent = text; } }

    function stop(text) {
      done = true;
      if (source) { source.close(); }
      if (poller) { clearInterval(poller); }
      say(text);
    }

    // The next lines come rendered by the server (one renderer, every value escaped), from the offset we have.
    function pull() {
      if (done) { return; }
      if (busy) { again = true; return; }
      busy = true;
      var url = fragmentUrl + '?offset=' + offset + '&line=' + nextLine;
      fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
        .then(function (response) {
          if (!response.ok) { throw new Error('HTTP ' + response.status); }
          return response.text().then(function (html) {
            var stick = autoScroll;
            if (html.trim() !== '') {
              var template = document.createElement('template');
              template.innerHTML = html;
              log.appendChild(template.content);
              var empty = document.getElementById('log-empty');
              if (empty) { empty.remove(); }
            }
            offset = Number(response.headers.get('X-Log-Offset'));
            nextLine = Number(response.headers.get('X-Log-Next-Line'));
            if (stick) { window.scrollTo(0, document.documentElement.scrollHeight); }
            var status = response.headers.get('X-Job-Status');
            if (response.headers.get('X-Log-Complete') === 'true') {
              stop('Job ' + status + '. Reload for the final details.');
            } else {
              say('Following the log (' + status + ')');
            }
          });
        })
        .catch(function () { say('Follow interrupted; retrying'); })
        .finally(function () {
          busy = false;
          if (again) { again = false; pull(); }
        });
    }

    function poll() {
      log.dataset.followMode = 'poll';
      if (!poller && !done) { poller = setInterval(pull, 2000); }
    }

    // The log's event stream says when there is more (append, status, end); without it, poll as GitLab does.
    if (window.EventSource && streamUrl) {
      try {
        source = new EventSource(streamUrl + '?offset=' + offset, { withCredentials: true });
        source.addEventListener('open', function () { log.dataset.followMode = 'stream'; });
        source.addEventListener('append', pull);
        source.addEventListener('status', pull);
        source.addEventListener('end', function () { source.close(); pull(); });
        source.onerror = function () { source.close(); source = null; poll(); };
      } catch (e) {
        poll();
      }
    } else {
      poll();
    }
    pull();
  }

  document.addEventListener('DOMContentLoaded', function () {
    var log = document.getElementById('log');
    if (log && log.dataset.followUrl) { follow(log); }
  });
}());
