// clipper review sheet. Builds the page from the JSON in #clipper-data with
// textContent only (never innerHTML), so every transcript, title and file
// name shows as text. Nothing is sent anywhere: "Save decisions" downloads a
// decisions.json file, and edits are kept in this browser's localStorage
// until then.
(function () {
  "use strict";

  // ---- Character counting ------------------------------------------------

  // X's weighted length, the same rules as clipper's Rust counter
  // (src/drafts/xcount.rs, twitter-text v3): code points in the light
  // ranges weigh 1, all others 2; an emoji sequence (ZWJ family, flag, skin
  // tone, keycap) weighs 2; a link, with or without http(s)://, weighs 23.
  var X_URL_WEIGHT = 23;
  var X_LIGHT = [[0x0000, 0x10ff], [0x2000, 0x200d], [0x2010, 0x201f], [0x2032, 0x2037]];
  var X_PICTOGRAPHIC = [[0x1f000, 0x1faff], [0x2600, 0x27bf], [0x2300, 0x23ff], [0x2b00, 0x2bff],
    [0x2190, 0x21ff], [0x2100, 0x214f], [0x25a0, 0x25ff], [0x2934, 0x2935], [0x3030, 0x3030],
    [0x303d, 0x303d], [0x3297, 0x3297], [0x3299, 0x3299], [0x203c, 0x203c], [0x2049, 0x2049]];
  var X_MODIFIERS = [[0xfe0e, 0xfe0f], [0x1f3fb, 0x1f3ff], [0xe0020, 0xe007f], [0x20e3, 0x20e3]];
  var GTLDS = ("com net org edu gov mil int info biz name pro aero coop museum mobi asia tel travel jobs " +
    "cat xyz app dev blog shop store online site tech page link news live media club art " +
    "design studio agency digital email cloud host space website world today life show " +
    "podcast audio chat city community company consulting events expert fund global group " +
    "guru health help institute land marketing network one partners photo photography plus " +
    "press productions radio rocks solutions support systems team tools video wiki work works " +
    "zone love fyi social stream music games bio academy school coach money finance capital " +
    "ventures church earth").split(" ");
  var CCTLDS = ("ac ad ae af ag ai al am ao aq ar as at au aw ax az ba bb bd be bf bg bh bi bj bm bn bo " +
    "br bs bt bv bw by bz ca cc cd cf cg ch ci ck cl cm cn co cr cu cv cw cx cy cz de dj dk " +
    "dm do dz ec ee eg er es et eu fi fj fk fm fo fr ga gb gd ge gf gg gh gi gl gm gn gp gq " +
    "gr gs gt gu gw gy hk hm hn hr ht hu id ie il im in io iq ir is it je jm jo jp ke kg kh " +
    "ki km kn kp kr kw ky kz la lb lc li lk lr ls lt lu lv ly ma mc md me mg mh mk ml mm mn " +
    "mo mp mq mr ms mt mu mv mw mx my mz na nc ne nf ng ni nl no np nr nu nz om pa pe pf pg " +
    "ph pk pl pm pn pr ps pt pw py qa re ro rs ru rw sa sb sc sd se sg sh si sj sk sl sm sn " +
    "so sr ss st su sv sx sy sz tc td tf tg th tj tk tl tm tn to tr tt tv tw tz ua ug uk us " +
    "uy uz va vc ve vg vi vn vu wf ws ye yt za zm zw").split(" ");
  var ALNUM_RE = /^[\p{Alphabetic}\p{N}]$/u;
  var SPACE_RE = /^\p{White_Space}$/u;
  var ASCII_ALNUM_RE = /^[A-Za-z0-9]$/;

  function inRanges(ranges, cp) {
    for (var i = 0; i < ranges.length; i++) {
      if (cp >= ranges[i][0] && cp <= ranges[i][1]) return true;
    }
    return false;
  }
  function cpOf(c) { return c === undefined ? -1 : c.codePointAt(0); }
  function isCctld(label) { return label.length === 2 && CCTLDS.indexOf(label) >= 0; }
  function isTld(label) {
    var l = label.toLowerCase();
    return GTLDS.indexOf(l) >= 0 || isCctld(l);
  }
  function validHost(host) {
    var labels = host.split(".");
    return labels.length >= 2 &&
      labels.every(function (l) { return /^[A-Za-z0-9-]+$/.test(l) && l[0] !== "-" && l[l.length - 1] !== "-"; }) &&
      /^[A-Za-z]+$/.test(labels[labels.length - 1]);
  }
  // Letters, digits, @, $ and # may not precede a link.
  function blocksUrl(prev) {
    return prev !== undefined && (ALNUM_RE.test(prev) || "@$#\uff20\uff03".indexOf(prev) >= 0);
  }
  function countOf(cps, from, to, ch) {
    var n = 0;
    for (var i = from; i < to; i++) if (cps[i] === ch) n++;
    return n;
  }
  // End of a link's path, without trailing sentence punctuation.
  function pathEnd(cps, from) {
    var end = from;
    while (end < cps.length && !SPACE_RE.test(cps[end]) && "<>\"\u201c\u201d\u2026".indexOf(cps[end]) < 0) end++;
    while (end > from) {
      var last = cps[end - 1];
      var trailing = ".,;:!?']}".indexOf(last) >= 0 ||
        (last === ")" && countOf(cps, from, end, "(") < countOf(cps, from, end, ")")) ||
        (cpOf(last) > 0x7f && !ALNUM_RE.test(last));
      if (!trailing) break;
      end--;
    }
    return end;
  }
  // End (code point index) of a link starting at i, or -1.
  function urlAt(cps, i, prev) {
    var head = cps.slice(i, i + 8).join("").toLowerCase();
    var protocol = head.indexOf("https://") === 0 ? 8 : head.indexOf("http://") === 0 ? 7 : 0;
    var hostStart = i + protocol;
    var j = hostStart;
    while (j < cps.length && /^[A-Za-z0-9.-]$/.test(cps[j])) j++;
    var host = cps.slice(hostStart, j).join("").replace(/[.-]+$/, "");
    if (!validHost(host)) return -1;
    var end = hostStart + host.length;
    if (cps[end] === ":") {
      var d = end + 1;
      while (d < cps.length && /^[0-9]$/.test(cps[d])) d++;
      if (d > end + 1) end = d;
    }
    var hasPath = end < cps.length && "/?#".indexOf(cps[end]) >= 0;
    if (!protocol) {
      if (prev !== undefined && "-_./".indexOf(prev) >= 0) return -1;
      var labels = host.split(".");
      var tld = labels[labels.length - 1].toLowerCase();
      if (!isTld(tld)) return -1;
      var www = host.toLowerCase().indexOf("www.") === 0;
      var shortCc = labels.length === 2 && isCctld(tld) && GTLDS.indexOf(tld) < 0;
      if (shortCc && !hasPath && !www && host.toLowerCase() !== "t.co") return -1;
    }
    return hasPath ? pathEnd(cps, end) : end;
  }
  function findUrls(cps) {
    var out = [];
    var i = 0;
    while (i < cps.length) {
      var prev = i > 0 ? cps[i - 1] : undefined;
      if (!ASCII_ALNUM_RE.test(cps[i]) || blocksUrl(prev)) { i++; continue; }
      var end = urlAt(cps, i, prev);
      if (end > i) { out.push([i, end]); i = end; continue; }
      // A link cannot start in the middle of a word.
      while (i < cps.length && ALNUM_RE.test(cps[i])) i++;
    }
    return out;
  }
  // Length in code points of the emoji sequence starting at i, or 0.
  function emojiLen(cps, i) {
    var first = cps[i];
    var cp = cpOf(first);
    if (cp >= 0x1f1e6 && cp <= 0x1f1ff) {
      var next = cpOf(cps[i + 1]);
      return next >= 0x1f1e6 && next <= 0x1f1ff ? 2 : 1;
    }
    if (/^[0-9#*\u00a9\u00ae]$/.test(first)) {
      var n = 1;
      if (cps[i + n] === "\ufe0f") n++;
      if (/^[0-9#*]$/.test(first)) return cps[i + n] === "\u20e3" ? n + 1 : 0;
      return n === 2 ? 2 : 0;
    }
    if (!inRanges(X_PICTOGRAPHIC, cp)) return 0;
    var m = 1;
    for (;;) {
      while (i + m < cps.length && inRanges(X_MODIFIERS, cpOf(cps[i + m]))) m++;
      if (cps[i + m] === "\u200d" && inRanges(X_PICTOGRAPHIC, cpOf(cps[i + m + 1]))) m += 2;
      else return m;
    }
  }

  function xLength(text) {
    var cps = Array.from(text);
    var urls = findUrls(cps);
    var total = 0, i = 0, u = 0;
    while (i < cps.length) {
      if (u < urls.length && urls[u][0] === i) {
        total += X_URL_WEIGHT;
        i = urls[u][1];
        u++;
        continue;
      }
      var e = emojiLen(cps, i);
      if (e) {
        total += 2;
        i += e;
        continue;
      }
      total += inRanges(X_LIGHT, cpOf(cps[i])) ? 1 : 2;
      i++;
    }
    return total;
  }

  // How long `text` is for a draft counted as `mode` ("x" or "chars").
  function count(mode, text) {
    return mode === "x" ? xLength(text) : Array.from(text).length;
  }
  window.clipperCount = count;

  // ---- Data and state ------------------------------------------------------

  var dataText = document.getElementById("clipper-data").textContent;
  var data = JSON.parse(dataText);
  var STATUSES = ["pending", "approved", "rejected", "needs_changes"];
  var CHOICES = ["approved", "needs_changes", "rejected"];
  var VERSIONS = ["a", "b", "thread"];
  // The fixed wording, in the client's language (src/lang/ui.rs).
  var T = data.ui;
  // A template with its {names} filled in.
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : all;
    });
  }
  // Text with *bold* parts, as nodes.
  function rich(parent, text) {
    text.split("*").forEach(function (part, i) {
      parent.appendChild(i % 2 ? el("b", null, part) : document.createTextNode(part));
    });
    return parent;
  }
  var STATUS_LABELS = { approved: T.approve, rejected: T.reject, needs_changes: T.needs_changes };
  var STATE_LABELS = {
    pending: T.state_pending, approved: T.state_approved, rejected: T.state_rejected,
    needs_changes: T.state_needs_changes, changed_since_approval: T.state_changed
  };
  var VERSION_LABELS = { a: T.version_a, b: T.version_b, thread: T.thread };

  // A short hash of the embedded data: local edits are restored only into
  // the same sheet they were made in, never into a newer one.
  function hash(s) {
    var h = 0x811c9dc5;
    for (var i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h.toString(16);
  }
  var STORE_KEY = "clipper-review:" + data.episode;
  var AUTHOR_KEY = "clipper-review:author";
  var signature = hash(dataText);

  function validStatus(s) { return STATUSES.indexOf(s) >= 0 ? s : "pending"; }
  function text(s) { return typeof s === "string" ? s : ""; }
  function now() { return new Date().toISOString(); }

  // One decision: status, comment, when it was made, and (for platforms)
  // where the drafts stood when the sheet was made.
  function decision(prior) {
    prior = prior || {};
    return {
      status: validStatus(prior.status), comment: text(prior.comment),
      decided_at: typeof prior.decided_at === "string" ? prior.decided_at : null,
      state: typeof prior.state === "string" ? prior.state : null,
      choice: VERSIONS.indexOf(prior.choice) >= 0 ? prior.choice : "a"
    };
  }

  var state = { author: "", clips: {}, shownotes: decision(data.shownotes_decision) };
  data.clips.forEach(function (c) {
    var drafts = {};
    c.drafts.forEach(function (d) { drafts[d.key] = d.text; });
    var prior = data.decisions[c.id] || {};
    var priorDrafts = prior.drafts || {};
    Object.keys(priorDrafts).forEach(function (k) {
      if (Object.prototype.hasOwnProperty.call(drafts, k)) drafts[k] = priorDrafts[k];
    });
    var mine = decision(prior);
    mine.drafts = drafts;
    mine.platforms = {};
    c.platforms.forEach(function (p) {
      mine.platforms[p.platform] = decision((prior.platforms || {})[p.platform]);
    });
    state.clips[c.id] = mine;
  });

  function restoreDecision(into, s) {
    if (!s) return;
    into.status = validStatus(s.status);
    into.comment = text(s.comment);
    if (typeof s.decided_at === "string") into.decided_at = s.decided_at;
    if (typeof s.state === "string") into.state = s.state;
    if (VERSIONS.indexOf(s.choice) >= 0) into.choice = s.choice;
  }

  function restoreLocal() {
    try {
      state.author = text(window.localStorage.getItem(AUTHOR_KEY));
      var stored = JSON.parse(window.localStorage.getItem(STORE_KEY) || "null");
    } catch (e) {
      return;
    }
    if (!stored || stored.signature !== signature || typeof stored.clips !== "object") return;
    restoreDecision(state.shownotes, stored.shownotes);
    Object.keys(state.clips).forEach(function (id) {
      var s = stored.clips[id];
      if (!s) return;
      var mine = state.clips[id];
      restoreDecision(mine, s);
      Object.keys(mine.platforms).forEach(function (p) {
        if (s.platforms && s.platforms[p]) restoreDecision(mine.platforms[p], s.platforms[p]);
      });
      Object.keys(mine.drafts).forEach(function (k) {
        if (s.drafts && typeof s.drafts[k] === "string") mine.drafts[k] = s.drafts[k];
      });
    });
  }

  function storeLocal() {
    try {
      window.localStorage.setItem(AUTHOR_KEY, state.author);
      window.localStorage.setItem(STORE_KEY, JSON.stringify({
        signature: signature, clips: state.clips, shownotes: state.shownotes
      }));
    } catch (e) {
      // Storage can be off (private windows); the sheet works without it.
    }
  }

  restoreLocal();

  // ---- DOM helpers -----------------------------------------------------------

  // el("div", {class: "x"}, "text", child): attributes with setAttribute,
  // strings as text nodes.
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) {
          node.setAttribute(k, attrs[k] === true ? "" : String(attrs[k]));
        }
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function autosize(textarea) {
    if (!textarea.offsetParent) return; // hidden in a closed <details>
    textarea.style.height = "auto";
    textarea.style.height = textarea.scrollHeight + 2 + "px";
  }

  // ---- Rendering -------------------------------------------------------------

  // The player for a clip's media. The sheet carries a small audio preview
  // and the quote card inside itself (embedded), so it plays from an e-mail
  // attachment or a phone with no clips/ folder; the full-quality file
  // (video, or mastered audio) is linked beside it and shown when present.
  function player(media, embedded) {
    embedded = embedded || {};
    if (!media && !embedded.audio) {
      return el("p", { class: "media-missing" }, "No audio or video for this clip.");
    }
    var box = el("div", { class: "media" });
    if (embedded.audio) {
      if (embedded.poster) {
        box.appendChild(el("img", { class: "poster", src: embedded.poster, alt: "Quote card" }));
      }
      box.appendChild(el("audio", { controls: true, preload: "metadata", src: embedded.audio }));
      if (media) {
        box.appendChild(el("div", { class: "media-file" }, T.full_quality + ": ",
          el("a", { href: media.url }, media.file), " (in the clips folder beside this sheet)"));
      }
      return box;
    }
    var node;
    if (media.kind === "image") {
      node = el("img", { src: media.url, alt: "Quote card" });
    } else {
      node = el(media.kind === "video" ? "video" : "audio",
        { controls: true, preload: "none", src: media.url, playsinline: true });
    }
    var missing = el("p", { class: "media-missing", hidden: true },
      "The file " + media.file + " was not found. Keep review.html next to its clips folder.");
    node.addEventListener("error", function () { missing.hidden = false; });
    box.appendChild(node);
    box.appendChild(el("div", { class: "media-file" }, media.file));
    box.appendChild(missing);
    return box;
  }

  // A thread's posts: its text split at lines that are "---".
  function threadPosts(value) {
    return value.split(/\n[ \t]*---[ \t]*(?:\n|$)/)
      .map(function (p) { return p.trim(); })
      .filter(function (p) { return p.length > 0; });
  }

  function renderDraft(c, d, index, dIndex) {
    var id = "c" + index + "-d" + dIndex;
    var textarea = el("textarea", {
      id: id, class: "draft-text", "data-key": d.key, "data-count": d.count,
      "data-limit": d.limit, rows: 3, spellcheck: "true"
    });
    textarea.value = state.clips[c.id].drafts[d.key];
    var counter = el("span", {
      class: "counter", "data-key": d.key,
      title: d.count === "x"
        ? "X counts emoji and CJK characters as 2 and every link as 23"
        : "characters"
    });
    var edited = el("span", { class: "edited-note" });
    var reset = el("button", { type: "button", class: "reset", title: "Back to the original draft" }, T.undo);
    var foldHint = el("span", { class: "fold-hint" });
    var box = el("div", { class: "draft", "data-key": d.key, "data-version": d.version },
      el("label", { for: id }, d.label),
      textarea,
      el("div", { class: "draft-foot" }, counter, foldHint, edited, reset));
    if (d.note) {
      box.appendChild(el("p", { class: "draft-note" }, d.note));
    }

    function update() {
      var value = textarea.value;
      var n = count(d.count, value);
      counter.textContent = n + " / " + d.limit;
      if (d.version === "thread") {
        var posts = threadPosts(value);
        n = Math.max.apply(null, [0].concat(posts.map(function (p) { return count(d.count, p); })));
        counter.textContent = fill(T.thread_counter, { n: posts.length, len: n, limit: d.limit });
      }
      var over = n > d.limit;
      counter.classList.toggle("over", over);
      box.classList.toggle("over", over);
      foldHint.textContent = d.fold
        ? (n > d.fold
          ? "only the first " + d.fold + " show before \u201cmore\u201d"
          : "all visible before \u201cmore\u201d (" + d.fold + ")")
        : "";
      var isEdited = value !== d.text;
      box.classList.toggle("edited", isEdited);
      edited.textContent = isEdited ? T.edited : "";
      reset.hidden = !isEdited;
    }
    function changed() {
      state.clips[c.id].drafts[d.key] = textarea.value;
      update();
      autosize(textarea);
      storeLocal();
    }
    textarea.addEventListener("input", changed);
    textarea.addEventListener("change", changed);
    reset.addEventListener("click", function () { textarea.value = d.text; changed(); });
    update();
    return { box: box, textarea: textarea };
  }

  // Approve / Needs changes / Reject as large radio buttons for `mine`;
  // `onPick` runs after a choice.
  function choices(name, mine, onPick) {
    var group = el("div", { class: "choices", role: "radiogroup" });
    CHOICES.forEach(function (status) {
      var radio = el("input", { type: "radio", name: name, value: status, class: "status", "data-status": status });
      radio.checked = mine.status === status && mine.state !== "changed_since_approval";
      radio.addEventListener("change", function () {
        if (!radio.checked) return;
        mine.status = status;
        mine.decided_at = now();
        mine.state = status;
        askName();
        storeLocal();
        onPick(status);
      });
      group.appendChild(el("label", { class: "choice " + status }, radio, el("span", null, STATUS_LABELS[status])));
    });
    return group;
  }

  function commentBox(id, mine, placeholder) {
    var box = el("textarea", { id: id, class: "comment", rows: 1, placeholder: placeholder });
    box.value = mine.comment;
    function changed() { mine.comment = box.value; storeLocal(); }
    box.addEventListener("input", changed);
    box.addEventListener("change", changed);
    return box;
  }

  // Where a platform's drafts stand: its own decision, else the clip's;
  // an approval of changed drafts stays "changed" until decided again.
  function platformState(mine, p) {
    var own = mine.platforms[p];
    if (own.status !== "pending") return own.state === "changed_since_approval" ? own.state : own.status;
    if (mine.state) return mine.status; // the clip was decided in this sheet
    return own.state || mine.status;
  }

  function renderPlatform(c, p, index, pIndex, onChange) {
    var mine = state.clips[c.id];
    var own = mine.platforms[p.platform];
    var badge = el("span", { class: "badge" });
    var details = el("details", { class: "platform", "data-platform": p.platform },
      el("summary", null, el("span", { class: "platform-name" }, p.label), badge));
    var textareas = [];
    var boxes = [];
    var picker = null;
    if (p.versions.length > 1) {
      picker = el("fieldset", { class: "versions" }, el("legend", null, T.which_version));
      p.versions.forEach(function (v) {
        var radio = el("input", { type: "radio", name: "version-" + index + "-" + pIndex, value: v.version, class: "version" });
        radio.checked = own.choice === v.version;
        radio.addEventListener("change", function () {
          if (!radio.checked) return;
          own.choice = v.version;
          storeLocal();
          refresh();
        });
        picker.appendChild(el("label", { class: "version-choice" }, radio, el("span", null, VERSION_LABELS[v.version] || v.label)));
      });
      details.appendChild(picker);
    }
    c.drafts.forEach(function (d, dIndex) {
      if (p.keys.indexOf(d.key) < 0) return;
      var r = renderDraft(c, d, index, dIndex);
      details.appendChild(r.box);
      textareas.push(r.textarea);
      boxes.push(r.box);
    });
    function refresh() {
      var s = platformState(mine, p.platform);
      var label = STATE_LABELS[s] || s;
      if (picker) {
        var v = p.versions.filter(function (x) { return x.version === own.choice; })[0];
        if (v) label += " \u00b7 " + (VERSION_LABELS[v.version] || v.label);
      }
      badge.textContent = label;
      badge.setAttribute("data-state", s);
      details.setAttribute("data-state", s);
      follow.hidden = own.status === "pending";
      boxes.forEach(function (b) {
        b.classList.toggle("chosen", !!picker && b.getAttribute("data-version") === own.choice);
      });
    }
    // Back to the clip's decision: the platform's own one is cleared.
    var follow = el("button", { type: "button", class: "follow-clip" }, T.follow_clip);
    var group = choices("status-" + index + "-" + pIndex, own, function () { refresh(); onChange(); });
    follow.addEventListener("click", function () {
      own.status = "pending";
      own.decided_at = now();
      own.state = null;
      group.querySelectorAll("input").forEach(function (r) { r.checked = false; });
      storeLocal();
      refresh();
      onChange();
    });
    details.appendChild(el("fieldset", { class: "decision platform-decision" },
      el("legend", null, fill(T.platform_decision, { platform: p.label })),
      group,
      commentBox("c" + index + "-p" + pIndex + "-comment", own, T.what_to_change),
      follow));
    details.addEventListener("toggle", function () { textareas.forEach(autosize); });
    refresh();
    return { details: details, refresh: refresh };
  }

  // Why: one plain sentence for the client; the arithmetic behind a toggle.
  function renderWhy(c) {
    var why = el("ul", null);
    c.contributions.forEach(function (k) {
      why.appendChild(el("li", { class: k.negative ? "negative" : null },
        el("span", { class: "feature" }, k.feature),
        el("span", { class: "points" }, k.points),
        el("span", { class: "reason" }, k.reason)));
    });
    return el("section", { class: "why" },
      el("p", { class: "summary" }, c.summary),
      c.check && c.check.length ? el("p", { class: "check-words" }, T.check_words + ": " + c.check.join(", ")) : null,
      el("details", { class: "score-details" },
        el("summary", null, T.score_details + " (" + c.score + ")"), why));
  }

  function renderTranscript(c) {
    return el("details", { class: "more" },
      el("summary", null, T.transcript),
      el("blockquote", { class: "transcript" }, c.text),
      c.keywords && c.keywords.length ? el("p", { class: "keywords" }, T.keywords + ": " + c.keywords.join(", ")) : null);
  }

  function renderClip(c, index) {
    var mine = state.clips[c.id];
    var article = el("article", { class: "clip", id: "clip-" + index, "data-clip-id": c.id, "data-status": mine.status });
    article.appendChild(el("header", { class: "clip-head" },
      el("span", { class: "rank" }, "#" + c.rank),
      el("h2", { class: "clip-title" }, c.title),
      el("div", { class: "meta" },
        el("span", { class: "chip time", title: "start\u2013end in the episode" }, c.range),
        el("span", { class: "chip" }, c.length),
        c.chapter ? el("span", { class: "chip chapter" }, T.chapter + ": " + c.chapter) : null,
        el("span", { class: "chip clip-id" }, c.id))));
    article.appendChild(player(c.media, c.embedded));
    var platforms = [];
    function refreshAll() { platforms.forEach(function (p) { p.refresh(); }); summarize(); }
    article.appendChild(el("fieldset", { class: "decision clip-decision" },
      el("legend", null, T.clip_decision),
      choices("status-" + index, mine, function (status) {
        article.setAttribute("data-status", status);
        refreshAll();
      }),
      commentBox("c" + index + "-comment", mine, T.comment_optional)));
    var posts = el("section", { class: "posts" }, el("h3", null, T.posts_heading));
    c.platforms.forEach(function (p, pIndex) {
      var r = renderPlatform(c, p, index, pIndex, summarize);
      platforms.push(r);
      posts.appendChild(r.details);
    });
    if (!c.platforms.length) posts.appendChild(el("p", { class: "muted" }, T.no_drafts));
    article.appendChild(renderWhy(c));
    article.appendChild(posts);
    article.appendChild(renderTranscript(c));
    return article;
  }

  // The episode's show notes, after the clips, as their own item to approve.
  function renderShowNotes(n) {
    var box = document.getElementById("show-notes");
    if (!n) return;
    var body = el("details", { class: "notes-body" }, el("summary", null, T.read_notes));
    if (n.summary) body.appendChild(el("p", { class: "notes-summary" }, n.summary));
    var chapters = el("ol", { class: "notes-chapters" });
    n.chapters.forEach(function (c) {
      chapters.appendChild(el("li", null, el("span", { class: "chip time" }, c.time), " ", c.title));
    });
    body.appendChild(el("h3", null, fill(T.chapters_from, { source: n.chapters_from })));
    body.appendChild(chapters);
    if (n.quotes.length) {
      var quotes = el("ul", { class: "notes-quotes" });
      n.quotes.forEach(function (q) {
        quotes.appendChild(el("li", null, el("span", { class: "chip time" }, q.time), " ", el("q", null, q.text), q.speaker ? " — " + q.speaker : ""));
      });
      body.appendChild(el("h3", null, T.key_quotes));
      body.appendChild(quotes);
    }
    if (n.keywords.length) body.appendChild(el("p", { class: "keywords" }, T.keywords + ": " + n.keywords.join(", ")));
    box.appendChild(el("h2", null, T.show_notes));
    box.appendChild(body);
    box.appendChild(el("fieldset", { class: "decision" },
      el("legend", null, T.notes_decision),
      choices("status-shownotes", state.shownotes, function (s) { box.setAttribute("data-status", s); }),
      commentBox("shownotes-comment", state.shownotes, T.comment_optional)));
    box.setAttribute("data-status", state.shownotes.status);
    box.hidden = false;
  }

  function summarize() {
    var n = { pending: 0, approved: 0, rejected: 0, needs_changes: 0, changed_since_approval: 0 };
    data.clips.forEach(function (c) {
      c.platforms.forEach(function (p) { n[platformState(state.clips[c.id], p.platform)] += 1; });
    });
    document.getElementById("summary").textContent =
      fill(T.summary, { approved: n.approved, needs: n.needs_changes, rejected: n.rejected,
        waiting: n.pending + n.changed_since_approval });
  }

  // Asks for the name once: the first decision without one points at the
  // name field (kept in this browser for every sheet).
  function askName() {
    var author = document.getElementById("author");
    if (state.author.trim()) return;
    author.parentNode.classList.add("wanted");
  }

  // ---- Saving ------------------------------------------------------------------

  function saved(d) {
    return { status: d.status, comment: d.comment, decided_at: d.decided_at };
  }
  function savedPlatform(d) {
    var out = saved(d);
    out.choice = d.choice;
    return out;
  }

  function decisions() {
    var clips = {};
    data.clips.forEach(function (c) {
      var mine = state.clips[c.id];
      var drafts = {};
      c.drafts.forEach(function (d) { drafts[d.key] = mine.drafts[d.key]; });
      var platforms = {};
      c.platforms.forEach(function (p) { platforms[p.platform] = savedPlatform(mine.platforms[p.platform]); });
      var entry = saved(mine);
      entry.drafts = drafts;
      entry.platforms = platforms;
      clips[c.id] = entry;
    });
    var out = {
      format: data.format, version: data.version, episode: data.episode,
      author: state.author, saved_at: now(), clips: clips
    };
    if (data.shownotes) out.shownotes = saved(state.shownotes);
    return out;
  }

  // decisions-<episode name>.json, in characters every system keeps.
  function fileName() {
    var stem = data.episode.replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "");
    return "decisions-" + (stem || "episode") + ".json";
  }

  function save() {
    var text = JSON.stringify(decisions(), null, 2) + "\n";
    document.getElementById("saved-json").textContent = text;
    var url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    var a = el("a", { href: url, download: fileName(), hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    document.getElementById("save-status").textContent =
      fill(T.saved, { file: fileName(), time: new Date().toLocaleTimeString() });
  }

  // ---- Page --------------------------------------------------------------------

  document.getElementById("sheet-title").textContent =
    (data.show_name ? data.show_name + " \u2013 " : "") + data.episode;
  document.getElementById("sheet-meta").textContent =
    data.clips.length + " " + (data.clips.length === 1 ? T.clip_one : T.clip_many) + " \u00b7 " + data.duration;
  var how = document.getElementById("how-to");
  how.textContent = "";
  how.appendChild(el("b", null, T.how_to_title));
  how.appendChild(document.createTextNode(" "));
  rich(how, T.how_to);
  document.querySelector("label.author").firstChild.textContent = T.your_name + " ";
  document.getElementById("save").textContent = T.save;

  var author = document.getElementById("author");
  author.placeholder = T.name_placeholder;
  author.value = state.author;
  function authorChanged() {
    state.author = author.value;
    if (state.author.trim()) author.parentNode.classList.remove("wanted");
    storeLocal();
  }
  author.addEventListener("input", authorChanged);
  author.addEventListener("change", authorChanged);
  document.getElementById("save").addEventListener("click", save);

  var main = document.getElementById("clips");
  data.clips.forEach(function (c, index) { main.appendChild(renderClip(c, index)); });
  if (!data.clips.length) main.appendChild(el("p", { class: "muted" }, T.no_clips));
  renderShowNotes(data.shownotes);
  document.querySelectorAll("textarea").forEach(autosize);
  summarize();
})();
