// plansite search client. Reads the sharded index written by src/search/
// (manifest, term shards, result fragments) and fetches only what a query
// needs. No third-party code.
//
// The tokeniser below is a port of src/search/tokenize.rs and of
// elasticlunr-rs's English pipeline (trimmer, stop words, Porter stemmer);
// a Rust test (src/search/client_tests.rs) runs both over the same words and
// queries. Change them together.
(function () {
  'use strict';

  // ------------------------------------------------------------ tokeniser

  var STOP = {};
  ('a able about across after all almost also am among an and any are as at be because been ' +
    'but by can cannot could dear did do does either else ever every for from get got had has ' +
    'have he her hers him his how however i if in into is it its just least let like likely may ' +
    'me might most must my neither no nor not of off often on only or other our own rather said ' +
    'say says she should since so some than that the their them then there these they this tis ' +
    'to too twas us wants was we were what when where which while who whom why will with would ' +
    'yet you your').split(' ').forEach(function (w) { STOP[w] = true; });
  STOP[''] = true;

  var CODE_END = '/';
  var MONEY_END = '£';
  var ALNUM = '\\p{Alphabetic}\\p{Nd}\\p{Nl}\\p{No}';
  var WHITESPACE = /\p{White_Space}/u;
  var TRIM_END = new RegExp('[^' + ALNUM + ']+$', 'u');
  var TRIM_START = new RegExp('^[^' + ALNUM + '£]+', 'u');
  var IS_ALNUM = new RegExp('^[' + ALNUM + ']+$', 'u');
  var NOT_ALNUM = new RegExp('[^' + ALNUM + ']', 'u');
  var NOT_WORD = new RegExp('[^' + ALNUM + "'\u2019]", 'u');
  var JOINER = /[\/\-_\u2010\u2011\u2012\u2013]/;
  var NUMBER = /^(£?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(k|m|bn|million|billion)?$/;
  var SCALES = { '': '', k: 'k', m: 'm', million: 'm', bn: 'bn', billion: 'bn' };

  // Porter stemmer over UTF-8 bytes, step for step as elasticlunr-rs's
  // (including where `ends` leaves `j` behind), so that non-ASCII words stem
  // the same too.
  var encoder = typeof TextEncoder !== 'undefined' ? new TextEncoder() : null;
  var decoder = typeof TextDecoder !== 'undefined' ? new TextDecoder() : null;
  function code(c) { return c.charCodeAt(0); }
  function stem(word) {
    var b = encoder.encode(word);
    if (b.length <= 2) return word;
    var k = b.length;
    var j = 0;
    function cons(i) {
      var c = b[i];
      if (c === 97 || c === 101 || c === 105 || c === 111 || c === 117) return false;
      if (c === 121) return i === 0 ? true : !cons(i - 1);
      return true;
    }
    function m() {
      var n = 0;
      var i = 0;
      for (;;) { if (i >= j) return n; if (!cons(i)) break; i++; }
      i++;
      for (;;) {
        for (;;) { if (i >= j) return n; if (cons(i)) break; i++; }
        i++;
        n++;
        for (;;) { if (i >= j) return n; if (!cons(i)) break; i++; }
        i++;
      }
    }
    function vowelInStem() {
      for (var i = 0; i < j; i++) if (!cons(i)) return true;
      return false;
    }
    function doublec(i) { return i >= 1 && b[i] === b[i - 1] && b[i] < 128 && cons(i); }
    function cvc(i) {
      if (i < 2 || !cons(i) || cons(i - 1) || !cons(i - 2)) return false;
      return !(b[i] === 119 || b[i] === 120 || b[i] === 121);
    }
    function ends(s) {
      var n = s.length;
      if (n > k) return false;
      for (var i = 0; i < n; i++) if (b[k - n + i] !== code(s[i])) return false;
      j = k - n;
      return true;
    }
    function setto(s) {
      for (var i = 0; i < s.length; i++) b[j + i] = code(s[i]);
      k = j + s.length;
    }
    function r(s) { if (m() > 0) setto(s); }
    function at(i) { return String.fromCharCode(b[i]); }

    // step1ab
    if (b[k - 1] === 115) {
      if (ends('sses')) k -= 2;
      else if (ends('ies')) setto('i');
      else if (b[k - 2] !== 115) k -= 1;
    }
    if (ends('eed')) {
      if (m() > 0) k -= 1;
    } else if ((ends('ed') || ends('ing')) && vowelInStem()) {
      k = j;
      if (ends('at')) setto('ate');
      else if (ends('bl')) setto('ble');
      else if (ends('iz')) setto('ize');
      else if (doublec(k - 1)) {
        k -= 1;
        var c = at(k - 1);
        if (c === 'l' || c === 's' || c === 'z') k += 1;
      } else if (m() === 1 && cvc(k - 1)) setto('e');
    }
    // step1c
    if (k > 2 && ends('y') && 'aeiou'.indexOf(at(k - 2)) < 0) b[k - 1] = 105;
    // step2
    if (k >= 2) {
      switch (at(k - 2)) {
        case 'a': if (ends('ational')) r('ate'); else if (ends('tional')) r('tion'); break;
        case 'c': if (ends('enci')) r('ence'); else if (ends('anci')) r('ance'); break;
        case 'e': if (ends('izer')) r('ize'); break;
        case 'l':
          if (ends('bli')) r('ble'); else if (ends('alli')) r('al'); else if (ends('entli')) r('ent');
          else if (ends('eli')) r('e'); else if (ends('ousli')) r('ous');
          break;
        case 'o': if (ends('ization')) r('ize'); else if (ends('ation')) r('ate'); else if (ends('ator')) r('ate'); break;
        case 's':
          if (ends('alism')) r('al'); else if (ends('iveness')) r('ive'); else if (ends('fulness')) r('ful');
          else if (ends('ousness')) r('ous');
          break;
        case 't': if (ends('aliti')) r('al'); else if (ends('iviti')) r('ive'); else if (ends('biliti')) r('ble'); break;
        case 'g': if (ends('logi')) r('log'); break;
      }
    }
    // step3
    switch (at(k - 1)) {
      case 'e': if (ends('icate')) r('ic'); else if (ends('ative')) r(''); else if (ends('alize')) r('al'); break;
      case 'i': if (ends('iciti')) r('ic'); break;
      case 'l': if (ends('ical')) r('ic'); else if (ends('ful')) r(''); break;
      case 's': if (ends('ness')) r(''); break;
    }
    // step4
    if (k >= 2) {
      var hit = false;
      switch (at(k - 2)) {
        case 'a': hit = ends('al'); break;
        case 'c': hit = ends('ance') || ends('ence'); break;
        case 'e': hit = ends('er'); break;
        case 'i': hit = ends('ic'); break;
        case 'l': hit = ends('able') || ends('ible'); break;
        case 'n': hit = ends('ant') || ends('ement') || ends('ment') || ends('ent'); break;
        case 'o': hit = (ends('ion') && j > 0 && (b[j - 1] === 115 || b[j - 1] === 116)) || ends('ou'); break;
        case 's': hit = ends('ism'); break;
        case 't': hit = ends('ate') || ends('iti'); break;
        case 'u': hit = ends('ous'); break;
        case 'v': hit = ends('ive'); break;
        case 'z': hit = ends('ize'); break;
      }
      if (hit && m() > 1) k = j;
    }
    // step5
    j = k;
    if (b[k - 1] === 101) {
      var a = m();
      if (a > 1 || (a === 1 && !cvc(k - 2))) k -= 1;
    }
    if (b[k - 1] === 108 && doublec(k - 1) && m() > 1) k -= 1;
    return decoder.decode(b.subarray(0, k));
  }

  function isApostrophe(c) { return c === "'" || c === '\u2019'; }

  // Word forms the stemmer does not bring together, as tokenize.rs's
  // WORD_FORMS, US_PREFIXES and IZE_ENDINGS: irregular plurals, American
  // spellings, -ize → -ise after four letters (the last not a vowel).
  var WORD_FORMS = {
    knives: 'knife', wives: 'wife', thieves: 'thief', women: 'woman', men: 'man', children: 'child',
    crises: 'crisis', analyses: 'analysis', criteria: 'criterion', stolen: 'steal', stole: 'steal',
    center: 'centre', centers: 'centres', program: 'programme', programs: 'programmes', offense: 'offence',
    offenses: 'offences', defense: 'defence', defenses: 'defences', gray: 'grey', aging: 'ageing',
    traveled: 'travelled', traveling: 'travelling', modeling: 'modelling', canceled: 'cancelled',
    fueled: 'fuelled', enrollment: 'enrolment', judgement: 'judgment',
  };
  var US_PREFIXES = [['behavior', 'behaviour'], ['neighbor', 'neighbour'], ['color', 'colour'], ['favor', 'favour'],
    ['honor', 'honour'], ['harbor', 'harbour'], ['rumor', 'rumour']];
  var IZE = /^(.{3,}[^aeiou])iz(ations|ation|ing|ers|er|es|ed|e)$/u;
  var YZE = /^(.{3,})yz(ing|ers|er|es|ed|e)$/u;
  function normalise(w) {
    if (Object.prototype.hasOwnProperty.call(WORD_FORMS, w)) return WORD_FORMS[w];
    for (var i = 0; i < US_PREFIXES.length; i++) {
      if (w.indexOf(US_PREFIXES[i][0]) === 0) return US_PREFIXES[i][1] + w.slice(US_PREFIXES[i][0].length);
    }
    var x = IZE.exec(w);
    if (x) return x[1] + 'is' + x[2];
    x = YZE.exec(w);
    if (x) return x[1] + 'ys' + x[2];
    return w;
  }

  // A word run → its term, or null for a stop word: apostrophes dropped (a
  // possessive 's with them), then elasticlunr's trimmer, stop words, stemmer.
  var memo = new Map();
  function wordTerm(run) {
    var s = run.replace(/^['\u2019]+|['\u2019]+$/g, '');
    if (s.length >= 2 && s[s.length - 1] === 's' && isApostrophe(s[s.length - 2])) {
      s = s.slice(0, -1).replace(/['\u2019]+$/, '');
    }
    s = s.replace(/['\u2019]/g, '');
    if (memo.has(s)) return memo.get(s);
    var t = normalise(s).replace(/^[^0-9A-Za-z_]+|[^0-9A-Za-z_]+$/g, '');
    var term = STOP[t] === true ? null : stem(t);
    memo.set(s, term);
    return term;
  }

  function trimChunk(chunk) { return chunk.replace(TRIM_END, '').replace(TRIM_START, ''); }

  function chunks(lower) {
    return lower.split(WHITESPACE).map(trimChunk).filter(function (c) { return c !== ''; });
  }

  function parseNumber(chunk) {
    var x = NUMBER.exec(chunk);
    if (!x) return null;
    var value = x[2].replace(/,/g, '');
    var decimals = x[3] === undefined ? '' : x[3].replace(/0+$/, '');
    if (decimals) value += '.' + decimals;
    var scale = SCALES[x[4] || ''];
    return {
      value: value,
      pound: x[1] === '£',
      scale: scale,
      plain: !x[1] && x[2].indexOf(',') < 0 && x[3] === undefined && !scale,
    };
  }
  function numberTerm(n) { return n.value + n.scale; }
  function moneyTerm(n) { return n.pound ? n.value + n.scale + MONEY_END : null; }
  // `3.863m` → `3863000£`, the money term of the value in pounds (as
  // Number::pounds_term): decimal digits are moved, not multiplied.
  function poundsTerm(n) {
    var shift = { k: 3, m: 6, bn: 9 }[n.scale];
    if (!shift) return null;
    var dot = n.value.indexOf('.');
    var int = dot < 0 ? n.value : n.value.slice(0, dot);
    var digits = int + (dot < 0 ? '' : n.value.slice(dot + 1));
    var point = int.length + shift;
    while (digits.length < point) digits += '0';
    var i = digits.slice(0, point).replace(/^0+/, '') || '0';
    var d = digits.slice(point).replace(/0+$/, '');
    return (d ? i + '.' + d : i) + MONEY_END;
  }
  function numberIndexTerms(n) {
    var out = [numberTerm(n)];
    if (n.scale) out.push(n.value);
    if (n.pound) out.push(moneyTerm(n));
    if (n.pound && poundsTerm(n)) out.push(poundsTerm(n));
    return out;
  }
  function scaleWord(chunk) {
    return chunk === 'm' || chunk === 'million' ? 'm' : chunk === 'bn' || chunk === 'billion' ? 'bn' : null;
  }

  function compoundRuns(chunk) {
    if (!JOINER.test(chunk)) return null;
    var runs = chunk.split(/[\/\-_\u2010\u2011\u2012\u2013]/);
    for (var i = 0; i < runs.length; i++) if (!IS_ALNUM.test(runs[i])) return null;
    return runs;
  }

  // `004/2014`, `4/2014`, `004-2014` → `4/2014/`; `PCC-DN 1956` → `pcc/dn/1956/`.
  function codeOf(lower) {
    var out = '';
    lower.split(NOT_ALNUM).forEach(function (run) {
      if (!run) return;
      if (/^[0-9]+$/.test(run)) run = run.replace(/^0+/, '') || '0';
      out += run + CODE_END;
    });
    return out || null;
  }

  // `anti-social` → `antisocial` (two runs of letters only), as joined_word.
  var LETTERS = /^\p{Alphabetic}+$/u;
  function joinedWord(runs) {
    return runs.length === 2 && LETTERS.test(runs[0]) && LETTERS.test(runs[1]) ? runs[0] + runs[1] : null;
  }

  function wordRuns(chunk) { return chunk.split(NOT_WORD).filter(function (r) { return r !== ''; }); }

  // Every index term of a lowercased text, in order, repeats included.
  function indexTerms(lower) {
    var out = [];
    var cs = chunks(lower);
    for (var i = 0; i < cs.length; i++) {
      var chunk = cs[i];
      var n = parseNumber(chunk);
      var runs;
      if (n) {
        numberIndexTerms(n).forEach(function (t) { out.push(t); });
        var s = n.scale ? null : i + 1 < cs.length ? scaleWord(cs[i + 1]) : null;
        if (s) {
          n.scale = s;
          numberIndexTerms(n).forEach(function (t) { if (t !== n.value) out.push(t); });
        }
      } else if ((runs = compoundRuns(chunk))) {
        var c = codeOf(chunk);
        if (c) out.push(c);
        runs.forEach(function (r) { var t = wordTerm(r); if (t) out.push(t); });
        var j = joinedWord(runs);
        var jt = j ? wordTerm(j) : null;
        if (jt) out.push(jt);
      } else {
        wordRuns(chunk).forEach(function (r) { var t = wordTerm(r); if (t) out.push(t); });
      }
    }
    return out;
  }

  var MAX_BONUS_RUNS = 8;

  // A query → clauses, each a list of alternative terms a result must match
  // one of (clauses AND), plus a whole-query code that only adds to a score.
  //   {kind:'word', term, raw}  {kind:'number', money, number, pounds}
  //   {kind:'compound', code, words, hasDigit, joined}
  // `joins`: [[i, term]] where clauses i and i+1 are words that make one
  // word of the index when joined (`cyber crime` → cybercrim).
  function parseQuery(text) {
    var lower = text.toLowerCase();
    var q = { clauses: [], bonus: null, joins: [] };
    var moneyLike = false;
    var cs = chunks(lower);
    for (var i = 0; i < cs.length; i++) {
      var chunk = cs[i];
      var n = parseNumber(chunk);
      var runs;
      if (n) {
        if (!n.scale && i + 1 < cs.length && scaleWord(cs[i + 1])) {
          n.scale = scaleWord(cs[++i]);
          n.plain = false;
        }
        moneyLike = moneyLike || !n.plain;
        q.clauses.push({ kind: 'number', money: moneyTerm(n), number: numberTerm(n), pounds: poundsTerm(n) });
      } else if ((runs = compoundRuns(chunk))) {
        var words = [];
        runs.forEach(function (r) { var t = wordTerm(r); if (t) words.push(t); });
        var jw = joinedWord(runs);
        q.clauses.push({ kind: 'compound', code: codeOf(chunk) || '', words: words, hasDigit: /[0-9]/.test(chunk),
          joined: (jw && wordTerm(jw)) || null });
      } else {
        wordRuns(chunk).forEach(function (r) {
          var t = wordTerm(r);
          if (t) q.clauses.push({ kind: 'word', term: t, raw: r.replace(/['\u2019]/g, '') });
        });
      }
    }
    for (var k = 1; k < q.clauses.length; k++) {
      var a = q.clauses[k - 1];
      var c2 = q.clauses[k];
      if (a.kind === 'word' && c2.kind === 'word') {
        var jt = wordTerm(a.raw + c2.raw);
        if (jt) q.joins.push([k - 1, jt]);
      }
    }
    if (!moneyLike) {
      var b = codeOf(lower);
      var runs2 = b ? b.split(CODE_END).length - 1 : 0;
      var isClause = q.clauses.some(function (c) { return c.kind === 'compound' && c.code === b; });
      if (b && runs2 >= 2 && runs2 <= MAX_BONUS_RUNS && !isClause) q.bonus = b;
    }
    return q;
  }

  // Every term a query looks up, in order, without repeats (as Rust's
  // `Query::terms`).
  function queryTerms(q) {
    var out = [];
    function add(t) { if (t && out.indexOf(t) < 0) out.push(t); }
    q.clauses.forEach(function (c) {
      if (c.kind === 'word') add(c.term);
      else if (c.kind === 'number') { add(c.money); add(c.number); add(c.pounds); }
      else { add(c.code); c.words.forEach(add); add(c.joined); }
    });
    (q.joins || []).forEach(function (j) { add(j[1]); });
    add(q.bonus);
    return out;
  }

  // ---------------------------------------------------------------- index

  var PAGE = 10;
  var PREFIX_MIN = 3; // a last word this long or longer also matches as a prefix
  var PREFIX_TERMS = 40; // at most this many terms a prefix expands to
  var PREFIX_DIVISOR = 2; // a prefix match scores half an exact one

  // `fetchJson(url)` returns a promise of the parsed JSON; `base` is the
  // manifest's URL (shards are relative to it).
  function Index(manifest, manifestUrl, fetchJson) {
    if (manifest.version !== 1) throw new Error('unsupported search index version ' + manifest.version);
    this.m = manifest;
    this.base = manifestUrl;
    this.fetchJson = fetchJson;
    this.shards = new Map();
    this.frags = new Map();
    var kinds = [];
    var runs = manifest.kindRuns;
    for (var i = 0; i < runs.length; i += 2) for (var n = 0; n < runs[i + 1]; n++) kinds.push(runs[i]);
    this.docKind = kinds;
  }

  function less(a, b) { return a < b; } // UTF-16 code unit order, as the shards are sorted

  // The shard whose range holds `term`: the last whose first term <= term.
  Index.prototype.shardOf = function (term) {
    var t = this.m.terms;
    var lo = 0;
    var hi = t.length - 1;
    if (hi < 0 || less(term, t[0])) return -1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (less(term, t[mid])) hi = mid - 1; else lo = mid;
    }
    return lo;
  };

  Index.prototype.shard = function (i) {
    var self = this;
    if (!self.shards.has(i)) {
      var url = new URL(self.m.dir + 't/' + i + '.json', self.base).href;
      var p = self.fetchJson(url);
      p.catch(function () { self.shards.delete(i); });
      self.shards.set(i, p);
    }
    return self.shards.get(i);
  };

  // Decodes a term entry: ["term",[doc,score,gap,score…],df?].
  function postings(entry, divisor) {
    var list = entry[1];
    var out = [];
    var doc = 0;
    for (var i = 0; i < list.length; i += 2) {
      doc += list[i];
      out.push([doc, Math.max(1, Math.floor(list[i + 1] / divisor))]);
    }
    return { list: out, cut: entry.length > 2 };
  }

  function findEntry(shard, term) {
    var lo = 0;
    var hi = shard.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      var t = shard[mid][0];
      if (t === term) return shard[mid];
      if (less(t, term)) lo = mid + 1; else hi = mid - 1;
    }
    return null;
  }

  // Postings of one term, or an empty list.
  Index.prototype.term = function (term) {
    var i = this.shardOf(term);
    if (i < 0) return Promise.resolve({ list: [], cut: false });
    return this.shard(i).then(function (shard) {
      var e = findEntry(shard, term);
      return e ? postings(e, 1) : { list: [], cut: false };
    });
  };

  // Terms starting with `prefix` (other than `except`), from the shard the
  // prefix falls in and the next one at most.
  Index.prototype.prefixed = function (prefix, except) {
    var self = this;
    var i = Math.max(0, self.shardOf(prefix));
    var last = Math.min(i + 1, self.m.terms.length - 1);
    if (last > i && self.m.terms[last].indexOf(prefix) !== 0) last = i;
    var want = [];
    for (var s = i; s <= last; s++) want.push(self.shard(s));
    return Promise.all(want).then(function (shards) {
      var found = [];
      shards.forEach(function (shard) {
        shard.forEach(function (e) {
          if (found.length < PREFIX_TERMS && e[0] !== except && e[0].indexOf(prefix) === 0) found.push(e);
        });
      });
      return found;
    });
  };

  // Merges posting lists: 'or' keeps every document with its best score,
  // 'and' only documents in both with the scores added.
  function merge(a, b, how) {
    var out = [];
    var i = 0;
    var j = 0;
    while (i < a.length || j < b.length) {
      var x = a[i];
      var y = b[j];
      if (y === undefined || (x !== undefined && x[0] < y[0])) { if (how === 'or') out.push(x); i++; }
      else if (x === undefined || y[0] < x[0]) { if (how === 'or') out.push(y); j++; }
      else {
        out.push([x[0], how === 'or' ? Math.max(x[1], y[1]) : x[1] + y[1]]);
        i++;
        j++;
      }
    }
    return out;
  }
  function mergeAll(lists, how) {
    if (!lists.length) return [];
    return lists.reduce(function (acc, l) { return merge(acc, l, how); });
  }
  // Adds b's scores to the documents of a (b is optional).
  function boost(a, b) {
    var scores = new Map(b.map(function (p) { return [p[0], p[1]]; }));
    return a.map(function (p) { return [p[0], p[1] + (scores.get(p[0]) || 0)]; });
  }

  // One clause → its documents. `prefix`: the clause is the last word,
  // still being typed.
  Index.prototype.clause = function (c, prefix) {
    var self = this;
    var cut = false;
    function get(t) { return self.term(t).then(function (p) { cut = cut || p.cut; return p.list; }); }
    var work;
    if (c.kind === 'word') {
      work = get(c.term).then(function (exact) {
        if (!prefix) return exact;
        // The word as typed so far is the prefix (`burgl` → burglari), not
        // its stem, so that `police` does not also find `policy` (polici).
        return self.prefixed(c.raw, c.term).then(function (entries) {
          var lists = [exact];
          entries.forEach(function (e) {
            var p = postings(e, PREFIX_DIVISOR);
            cut = cut || p.cut;
            lists.push(p.list);
          });
          return mergeAll(lists, 'or');
        });
      });
    } else if (c.kind === 'number') {
      var none = Promise.resolve([]);
      work = Promise.all([c.money ? get(c.money) : none, get(c.number), c.pounds ? get(c.pounds) : none]).then(function (l) {
        return mergeAll(l, 'or');
      });
    } else {
      work = Promise.all([get(c.code), Promise.all(c.words.map(get)), c.joined ? get(c.joined) : Promise.resolve([])]).then(function (l) {
        var code = l[0];
        var words = c.words.length ? mergeAll(l[1], 'and') : [];
        // A number such as 004/2014 is found by its code; an id such as
        // reduce-burglary also by its words, ranked below the id itself;
        // anti-social also as antisocial.
        if (c.hasDigit) return code.length ? code : words;
        return mergeAll([words, code, l[2]], 'or');
      });
    }
    return work.then(function (list) { return { list: list, cut: cut }; });
  };

  // Edit distance (adjacent transpositions count one), or max + 1 when it
  // is more than max.
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null;
    var prev = [];
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      var row = [i];
      var low = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        row.push(v);
        if (v < low) low = v;
      }
      if (low > max) return max + 1;
      prev2 = prev;
      prev = row;
    }
    return prev[b.length];
  }

  var SUGGEST_MIN = 4; // words shorter than this are not corrected
  // The term of the index nearest `term` (one edit for up to five letters,
  // two for more), the most common among equals; from the shard the term
  // would be in, which was fetched to look it up, so a suggestion usually
  // costs no download. Null when there is none.
  Index.prototype.suggest = function (term) {
    if (term.length < SUGGEST_MIN || /[0-9]/.test(term)) return Promise.resolve(null);
    var self = this;
    var i = Math.max(0, self.shardOf(term));
    var max = term.length > 5 ? 2 : 1;
    // Words that start alike sort together; when a neighbouring shard
    // starts (or the next one starts) with the same three letters, the
    // nearest word may be there.
    var head = term.slice(0, 3);
    var want = [i];
    var t = self.m.terms;
    if (i > 0 && t[i].slice(0, 3) === head) want.unshift(i - 1);
    if (i + 1 < t.length && t[i + 1].slice(0, 3) === head) want.push(i + 1);
    return Promise.all(want.map(function (s) { return self.shard(s); })).then(function (shards) {
      var best = null;
      var bestD = max + 1;
      var bestN = 0;
      [].concat.apply([], shards).forEach(function (e) {
        var t = e[0];
        if (t === term || /[0-9\/£]/.test(t)) return;
        var d = distance(term, t, max);
        var n = e.length > 2 ? e[2] : e[1].length / 2;
        if (d <= max && (d < bestD || (d === bestD && n > bestN))) { best = t; bestD = d; bestN = n; }
      });
      return best;
    });
  };

  // Runs a query: {docs: [[doc, score]…] best first, cut, any, query,
  // corrections}. `any` is true when no record had every word, so records
  // with any are shown. A word no record has is replaced by the nearest
  // word of the index, if there is one: `corrections` lists them as
  // [{raw, term}] and `query` is the corrected query.
  Index.prototype.search = function (text, opts) {
    var self = this;
    opts = opts || {};
    var q = parseQuery(text);
    if (!q.clauses.length) return Promise.resolve({ docs: [], cut: false, any: false, query: q, corrections: [] });
    var prefixLast = opts.prefix && !/\p{White_Space}$/u.test(text);
    return self.run(q, opts, prefixLast).then(function (r) {
      if (!r.missing.length) return r;
      return Promise.all(r.missing.map(function (i) { return self.suggest(q.clauses[i].term); })).then(function (terms) {
        var corrections = [];
        var q2 = { clauses: q.clauses.slice(), bonus: q.bonus, joins: q.joins };
        r.missing.forEach(function (i, k) {
          if (!terms[k]) return;
          corrections.push({ raw: q.clauses[i].raw, term: terms[k] });
          q2.clauses[i] = { kind: 'word', term: terms[k], raw: q.clauses[i].raw, corrected: true };
        });
        if (!corrections.length) return r;
        return self.run(q2, opts, prefixLast).then(function (r2) {
          r2.corrections = corrections;
          return r2;
        });
      });
    });
  };

  // Runs a parsed query; `missing` lists the word clauses no record has.
  Index.prototype.run = function (q, opts, prefixLast) {
    var self = this;
    var last = q.clauses.length - 1;
    var work = q.clauses.map(function (c, i) {
      var isPrefix = prefixLast && i === last && c.kind === 'word' && !c.corrected && c.raw.length >= PREFIX_MIN;
      return self.clause(c, isPrefix);
    });
    var none = Promise.resolve({ list: [], cut: false });
    work.push(q.bonus ? self.term(q.bonus) : none);
    work.push(Promise.all(q.joins.map(function (j) { return self.term(j[1]); })));
    return Promise.all(work).then(function (res) {
      var joins = res.pop().map(function (r) { return r.list; });
      var bonus = res.pop().list;
      var cut = res.some(function (r) { return r.cut; });
      var lists = res.map(function (r) { return r.list; });
      // Two words typed apart that the index has as one (`cyber crime`):
      // records with both words or with the one word match the pair.
      var rescued = new Set();
      var groups = [];
      for (var i = 0; i < lists.length; i++) {
        var k = q.joins.findIndex(function (j) { return j[0] === i; });
        if (k >= 0 && joins[k].length) {
          groups.push(merge(merge(lists[i], lists[i + 1], 'and'), joins[k], 'or'));
          rescued.add(i);
          rescued.add(i + 1);
          i++;
        } else groups.push(lists[i]);
      }
      var missing = [];
      q.clauses.forEach(function (c, i) {
        if (c.kind === 'word' && !c.corrected && !lists[i].length && !rescued.has(i)) missing.push(i);
      });
      var docs = mergeAll(groups, 'and');
      var any = false;
      if (!docs.length && groups.length > 1) {
        docs = groups.reduce(function (acc, l) {
          // Sum for "any": a record with more of the words ranks higher.
          var m = new Map(acc.map(function (p) { return [p[0], p[1]]; }));
          l.forEach(function (p) { m.set(p[0], (m.get(p[0]) || 0) + p[1]); });
          return Array.from(m.entries()).sort(function (x, y) { return x[0] - y[0]; });
        }, []);
        any = docs.length > 0;
      }
      docs = boost(docs, bonus);
      if (opts.kind) {
        var kind = self.m.kinds.findIndex(function (x) { return x[0] === opts.kind; });
        docs = docs.filter(function (p) { return self.docKind[p[0]] === kind; });
      }
      docs.sort(function (x, y) { return y[1] - x[1] || x[0] - y[0]; });
      return { docs: docs, cut: cut, any: any, query: q, corrections: [], missing: missing };
    });
  };

  // The text of a query with its corrections, each spelled as a word of the
  // results shown (`burglery` → `burglary`, not its term `burglari`), or as
  // the term when no result shows it.
  function correctedText(text, found, frags) {
    var out = text;
    (found.corrections || []).forEach(function (c) {
      var word = c.term;
      frags.some(function (f) {
        var re = /[^\p{White_Space}]+/gu;
        var x;
        var all = (f.title + ' ' + (f.snippet || '')).toLowerCase();
        while ((x = re.exec(all))) {
          var t = trimChunk(x[0]);
          if (t && wordTerm(t) === c.term && /^\p{Alphabetic}+$/u.test(t)) { word = t; return true; }
        }
        return false;
      });
      out = out.replace(new RegExp(c.raw.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'), word);
    });
    return out;
  }

  // Result fragments for documents: [{doc, kind, kindLabel, url, title,
  // number, date, snippet}], in the order given.
  Index.prototype.fragments = function (docs) {
    var self = this;
    var per = self.m.fragments.per;
    return Promise.all(docs.map(function (doc) {
      var f = Math.floor(doc / per);
      if (!self.frags.has(f)) {
        var p = self.fetchJson(new URL(self.m.dir + 'f/' + f + '.json', self.base).href);
        p.catch(function () { self.frags.delete(f); });
        self.frags.set(f, p);
      }
      return self.frags.get(f).then(function (list) {
        var x = list[doc % per];
        var kind = self.m.kinds[self.docKind[doc]];
        return { doc: doc, kind: kind[0], kindLabel: kind[1], url: x[0], title: x[1], number: x[2], date: x[3], snippet: x[4] };
      });
    }));
  };

  // Where a text shows what a query looks for: [start, end) character
  // ranges of the chunks whose terms the query has (or, for the last word
  // typed, starts). Chunks, not words: `£3,863` is marked whole.
  function highlights(text, q, prefix) {
    // A number such as 004/2014 marks where the number is, not each `2014`.
    var want = new Set(queryTerms({
      clauses: q.clauses.map(function (c) { return c.kind === 'compound' && c.hasDigit ? { kind: 'compound', code: c.code, words: [] } : c; }),
      bonus: q.bonus,
      joins: q.joins || [],
    }));
    var start = null;
    if (prefix && q.clauses.length) {
      var c = q.clauses[q.clauses.length - 1];
      if (c.kind === 'word' && c.raw.length >= PREFIX_MIN) start = c.raw;
    }
    var out = [];
    var re = /[^\p{White_Space}]+/gu;
    var x;
    var lower = text.toLowerCase();
    // Lowercasing can change a text's length (rarely); mark nothing then
    // rather than the wrong letters.
    if (lower.length !== text.length) return out;
    while ((x = re.exec(lower))) {
      var raw = x[0];
      var trimmed = trimChunk(raw);
      if (!trimmed) continue;
      var terms = indexTerms(trimmed);
      var hit = terms.some(function (t) {
        return want.has(t) || (start !== null && t.indexOf(start) === 0);
      });
      if (hit) {
        var at = x.index + raw.indexOf(trimmed);
        out.push([at, at + trimmed.length]);
      }
    }
    return out;
  }

  var SNIPPET_SHOWN = 240; // characters of a snippet shown, about 30 words

  // At most `max` characters of `text`, cut at spaces, starting a little
  // before the first marked range; the ranges moved to match.
  function around(text, ranges, max) {
    if (text.length <= max) return { text: text, ranges: ranges };
    var start = 0;
    if (ranges.length && ranges[0][1] > max - 40) {
      // A little before the match, or earlier to fill the window when the
      // match is near the end.
      var want = Math.max(0, Math.min(ranges[0][0] - 60, text.length - max));
      start = want > 0 ? text.lastIndexOf(' ', want) + 1 : 0;
    }
    var end = Math.min(text.length, start + max);
    if (end < text.length) {
      var space = text.lastIndexOf(' ', end);
      if (space > start) end = space;
    }
    var lead = start > 0 ? '…' : '';
    var shift = lead.length - start;
    var cut = text.slice(start, end);
    var tail = end < text.length && !/…$/.test(cut) ? '…' : '';
    return {
      text: lead + cut + tail,
      ranges: ranges.filter(function (r) { return r[0] >= start && r[1] <= end; })
        .map(function (r) { return [r[0] + shift, r[1] + shift]; }),
    };
  }

  // The part of a result's snippet shown, and its marked ranges. A
  // commitment's title is its first sentence: not shown twice.
  function shownSnippet(f, q, prefix) {
    var text = f.snippet || '';
    if (text.indexOf(f.title) === 0) {
      // What follows the title, without the title's full stop; nothing
      // if that is punctuation alone.
      text = text.slice(f.title.length).replace(/^[^\p{Alphabetic}\p{Nd}£]+/u, '');
      if (!/[\p{Alphabetic}\p{Nd}]/u.test(text)) text = '';
    }
    return around(text, highlights(text, q, prefix), SNIPPET_SHOWN);
  }

  var api = {
    stem: stem,
    wordTerm: wordTerm,
    indexTerms: indexTerms,
    parseQuery: parseQuery,
    queryTerms: queryTerms,
    codeOf: codeOf,
    highlights: highlights,
    around: around,
    shownSnippet: shownSnippet,
    correctedText: correctedText,
    SNIPPET_SHOWN: SNIPPET_SHOWN,
    Index: Index,
    PAGE: PAGE,
  };

  if (typeof module === 'object' && module.exports) {
    module.exports = api;
    return;
  }
  if (typeof document === 'undefined') return;

  // ------------------------------------------------------------------ page

  var script = document.currentScript;
  var form = document.getElementById('search-form');
  var input = document.getElementById('search-q');
  var kindSelect = document.getElementById('search-kind');
  var status = document.getElementById('search-status');
  var results = document.getElementById('search-results');
  var suggestion = document.getElementById('search-suggestion');
  var help = document.getElementById('search-help');
  if (!script || !form || !input || !status || !results) return;

  var root = new URL(script.getAttribute('data-root') || './', document.baseURI);
  var manifestUrl = new URL(script.getAttribute('data-manifest') || 'search/manifest.json', root).href;
  var rootHref = script.getAttribute('data-root') || './';

  function fetchJson(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    });
  }

  var indexPromise = null;
  function index() {
    if (!indexPromise) {
      indexPromise = fetchJson(manifestUrl).then(function (m) { return new Index(m, manifestUrl, fetchJson); });
      indexPromise.catch(function () { indexPromise = null; });
    }
    return indexPromise;
  }

  var MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
    'October', 'November', 'December'];
  function formatDate(iso) {
    var x = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    return x ? Number(x[3]) + ' ' + MONTHS[Number(x[2]) - 1] + ' ' + x[1] : iso;
  }

  function el(name, cls, text) {
    var e = document.createElement(name);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Appends `text` to `parent`, with the ranges wrapped in <mark>.
  function marked(parent, text, ranges) {
    var at = 0;
    ranges.forEach(function (r) {
      if (r[0] > at) parent.appendChild(document.createTextNode(text.slice(at, r[0])));
      parent.appendChild(el('mark', null, text.slice(r[0], r[1])));
      at = r[1];
    });
    if (at < text.length) parent.appendChild(document.createTextNode(text.slice(at)));
  }

  function resultItem(f, q, prefix) {
    var li = el('li', 'search-result');
    li.appendChild(el('p', 'search-result-kind', f.kindLabel));
    var h = el('h2', 'search-result-title');
    var a = el('a');
    a.href = rootHref + f.url;
    marked(a, f.title, highlights(f.title, q, prefix));
    h.appendChild(a);
    li.appendChild(h);
    var meta = [];
    if (f.number) meta.push(f.number);
    if (f.date) meta.push(formatDate(f.date));
    if (meta.length) {
      var pm = el('p', 'search-result-meta');
      marked(pm, meta.join(' · '), f.number ? highlights(f.number, q, prefix) : []);
      li.appendChild(pm);
    }
    var w = shownSnippet(f, q, prefix);
    if (w.text) {
      var ps = el('p', 'search-result-snippet');
      marked(ps, w.text, w.ranges);
      li.appendChild(ps);
    }
    return li;
  }

  var current = null; // {found, shown, q, prefix, text}
  var seq = 0;
  var more = null;

  function say(text) { status.textContent = text; }

  function countText(r, text) {
    var n = r.docs.length;
    var what = (r.cut ? 'At least ' : '') + (n === 0 ? 'No results' : n === 1 ? '1 result' : n + ' results');
    var s = what + ' for “' + (r.shownText || text) + '”';
    if (kindSelect && kindSelect.value) s += ' in ' + kindSelect.options[kindSelect.selectedIndex].text;
    if (r.shownText) s += ' (no record has “' + r.corrections.map(function (c) { return c.raw; }).join('”, “') + '”)';
    if (r.any) s += ' (no record has every word; showing records with any of them)';
    return s + '.';
  }

  function showMore(focusFirst) {
    var c = current;
    var page = c.found.docs.slice(c.shown, c.shown + PAGE).map(function (p) { return p[0]; });
    return c.index.fragments(page).then(function (frags) {
      if (c !== current) return;
      var first = null;
      frags.forEach(function (f) {
        var li = resultItem(f, c.found.query, c.prefix);
        results.appendChild(li);
        first = first || li.querySelector('a');
      });
      c.shown += frags.length;
      if (more) { more.remove(); more = null; }
      if (c.shown < c.found.docs.length) {
        more = el('button', 'search-more', 'Show more results');
        more.type = 'button';
        more.addEventListener('click', function () {
          more.disabled = true;
          showMore(true).catch(failed);
        });
        results.parentNode.insertBefore(more, results.nextSibling);
      }
      if (focusFirst && first) first.focus();
      return frags;
    });
  }

  function failed(e) {
    say('Search is not available just now: the search index could not be loaded (' + (e && e.message ? e.message : e) +
      '). You can still browse all records by kind and year.');
    if (more) more.disabled = false;
  }

  function clearResults() {
    results.textContent = '';
    if (more) { more.remove(); more = null; }
    if (suggestion) { suggestion.textContent = ''; suggestion.hidden = true; }
    if (help) help.hidden = true;
  }

  // "Did you mean burglary?", linking to the search for it.
  function suggest(text) {
    if (!suggestion) return;
    suggestion.textContent = 'Did you mean ';
    var a = el('a', null, text);
    var u = new URL(location.href);
    u.searchParams.set('q', text);
    a.href = u.href;
    a.addEventListener('click', function (e) {
      e.preventDefault();
      input.value = text;
      run(false);
      input.focus();
    });
    suggestion.appendChild(a);
    suggestion.appendChild(document.createTextNode('?'));
    suggestion.hidden = false;
  }

  function keepInUrl(text) {
    var u = new URL(location.href);
    if (text) u.searchParams.set('q', text); else u.searchParams.delete('q');
    if (kindSelect && kindSelect.value) u.searchParams.set('kind', kindSelect.value); else u.searchParams.delete('kind');
    if (u.href !== location.href) history.replaceState(null, '', u.href);
  }

  function run(prefix) {
    var text = input.value;
    var mine = ++seq;
    keepInUrl(text.trim());
    if (!text.trim()) {
      current = null;
      clearResults();
      say('');
      return Promise.resolve();
    }
    var kind = kindSelect ? kindSelect.value : '';
    return index().then(function (ix) {
      return ix.search(text, { prefix: prefix, kind: kind }).then(function (found) {
        if (mine !== seq) return;
        // Focus is in the form while typing or submitting; if it was on a
        // result being replaced, it goes back to the search box.
        var hadFocus = results.contains(document.activeElement) || (more && more === document.activeElement);
        clearResults();
        current = { index: ix, found: found, shown: 0, prefix: prefix };
        return showMore(false).then(function (frags) {
          if (mine !== seq) return;
          if (hadFocus) input.focus();
          if (found.corrections.length) {
            found.shownText = correctedText(text.trim(), found, frags || []);
            suggest(found.shownText);
          }
          if (help) help.hidden = found.docs.length > 0 || !found.query.clauses.length;
          say(found.query.clauses.length ? countText(found, text.trim()) : 'Type a word, a number or an amount to search.');
        });
      });
    }).catch(function (e) { if (mine === seq) failed(e); });
  }

  var timer = null;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(true); }, 250);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run(true);
  });
  if (kindSelect) kindSelect.addEventListener('change', function () { clearTimeout(timer); run(true); });

  var params = new URL(location.href).searchParams;
  if (kindSelect && params.get('kind')) {
    var k = params.get('kind');
    for (var i = 0; i < kindSelect.options.length; i++) if (kindSelect.options[i].value === k) kindSelect.value = k;
  }
  if (params.get('q')) {
    input.value = params.get('q');
    run(true);
  }
})();
