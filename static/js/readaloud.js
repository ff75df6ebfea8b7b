// 読み上げ: reads the page's main text aloud with the browser's own speech synthesis, in a
// Japanese voice where the device has one. Nothing goes to a server or an outside service.
// Without speech (or without JavaScript) the button stays hidden and the page is as before.
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance === "undefined") {
    return;
  }
  // What is read: each block of text once, in page order; menus, maps and buttons are not.
  var BLOCKS = "h1, h2, h3, h4, p, li, dt, dd, th, td, caption, figcaption";
  var SKIP = "nav, button, script, style, [data-no-read], .read-aloud, .map, [hidden]";
  var LONGEST = 180; // characters per utterance: some engines stop on longer ones

  function blocksOf(root) {
    return Array.prototype.filter.call(root.querySelectorAll(BLOCKS), function (element) {
      var outer = element.parentElement && element.parentElement.closest(BLOCKS);
      return !element.closest(SKIP) && !(outer && root.contains(outer));
    });
  }

  // With ふりがな on, a word is read once, as written: its reading (<rt>) is left out.
  function textOf(element) {
    if (!element.querySelector("rt")) {
      return element.innerText || element.textContent || "";
    }
    var copy = element.cloneNode(true);
    copy.querySelectorAll("rt, rp").forEach(function (part) { part.remove(); });
    return copy.textContent || "";
  }

  function sentences(root) {
    var parts = [];
    blocksOf(root).forEach(function (element) {
      var text = textOf(element).replace(/\s+/g, " ").trim();
      text.split(/(?<=[。！？!?])/).forEach(function (sentence) {
        for (var start = 0; start < sentence.length; start += LONGEST) {
          var piece = sentence.slice(start, start + LONGEST).trim();
          if (piece) {
            parts.push(piece);
          }
        }
      });
    });
    return parts;
  }

  function japaneseVoice() {
    var voices = synth.getVoices ? synth.getVoices() : [];
    for (var i = 0; i < voices.length; i += 1) {
      if (/^ja/i.test(voices[i].lang)) {
        return voices[i];
      }
    }
    return null;
  }

  document.querySelectorAll("[data-read-aloud]").forEach(function (box) {
    var root = document.querySelector(box.getAttribute("data-read-aloud"));
    var button = box.querySelector("button");
    if (!root || !button) {
      return;
    }
    function show(reading) {
      button.textContent = button.getAttribute(reading ? "data-stop" : "data-start");
      button.setAttribute("aria-pressed", reading ? "true" : "false");
    }
    button.addEventListener("click", function () {
      var reading = button.getAttribute("aria-pressed") === "true";
      synth.cancel();
      if (reading) {
        show(false);
        return;
      }
      var parts = sentences(root);
      var voice = japaneseVoice();
      parts.forEach(function (text, index) {
        var utterance = new window.SpeechSynthesisUtterance(text);
        utterance.lang = "ja-JP";
        utterance.rate = 0.9; // a little slower than the default, for older listeners
        if (voice) {
          utterance.voice = voice;
        }
        if (index === parts.length - 1) {
          utterance.onend = function () { show(false); };
          utterance.onerror = utterance.onend;
        }
        synth.speak(utterance);
      });
      show(parts.length > 0);
    });
    box.hidden = false;
  });
  window.addEventListener("pagehide", function () { synth.cancel(); });
})();
