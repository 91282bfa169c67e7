/* The widget's configuration from the host page's `window.SupportWidgetConfig` (pure). */

import { originOf } from "../shared/url.js";

/**
 * raw: the host page's config object; scriptUrl: where the widget's code came from (its origin is
 * the default bridge); pageUrl: the host page's address.
 */
export function readConfig(raw, scriptUrl, pageUrl) {
  raw = raw && typeof raw === "object" ? raw : {};
  const language = raw.language === "ja" ? "ja" : "en";
  const fallback = originOf(scriptUrl, pageUrl) || originOf(pageUrl) || "";
  const bridgeUrl = String(raw.bridgeUrl || fallback).replace(/\/+$/, "");
  const bridgeOrigin = originOf(bridgeUrl, pageUrl) || bridgeUrl;
  const pageOrigin = originOf(pageUrl) || "";
  return {
    bridgeUrl,
    bridgeOrigin,
    title: typeof raw.title === "string" && raw.title ? raw.title : null,
    colors: raw.colors && typeof raw.colors === "object" ? raw.colors : {},
    language,
    initialPayload: typeof raw.initialPayload === "string" && raw.initialPayload ? raw.initialPayload : null,
    open: raw.open === true,
    // The id is kept under "supportWidget.sessionId"; for a bridge on another origin than the
    // page, the bridge origin is appended so two bridges never share an id.
    sessionKey: "supportWidget.sessionId" + (bridgeOrigin === pageOrigin ? "" : "@" + bridgeOrigin),
    outboxKey: "supportWidget.outbox",
  };
}
