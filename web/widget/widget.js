/*
 * Support chat widget: the one script tag host pages embed (a classic script, see
 * web/PROTOCOL.md). It loads the widget's ES modules from the same place it came from:
 * <script type="module" src="<base>/main.js">. Served with Access-Control-Allow-Origin: *,
 * since module scripts are fetched in CORS mode.
 */
(function () {
  "use strict";
  if (window.__supportWidgetLoaded) return;
  window.__supportWidgetLoaded = true;

  var script = document.currentScript;
  var src = script && script.src ? script.src : location.origin + "/widget/widget.js";
  var main = document.createElement("script");
  main.type = "module";
  main.src = new URL("main.js", src).href;
  (document.head || document.documentElement).appendChild(main);

  // Calls made before the widget is ready are replayed by main.js.
  if (!window.SupportWidget) {
    var queue = [];
    window.SupportWidget = {
      queue: queue,
      open: function () { queue.push("open"); },
      close: function () { queue.push("close"); }
    };
  }
}());
