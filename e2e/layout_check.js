// Phone layout checks run in the page by harness.check_layout.
// Returns the page's scroll width, text smaller than minFont, targets lower than minTarget (and,
// as notes, those between minTarget and aimTarget, and small links inside running text).
({ minFont, minTarget, aimTarget }) => {
  const doc = document.documentElement;
  const out = {
    scrollWidth: doc.scrollWidth,
    smallText: [],
    smallControls: [],
    smallLinks: [],
    belowAim: [],
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none";
  };
  const describe = (el) => {
    const text = el.innerText || el.value || el.getAttribute("aria-label") || el.name || "";
    return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} "${text.trim().slice(0, 40)}"`;
  };
  // Text: every visible element that directly holds text (the skip link is off-screen on purpose).
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    if (!visible(el) || el.closest(".skip")) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < minFont) out.smallText.push(`${describe(el)} ${px}px`);
  }
  // Targets in the header, navigation, main content and footer.
  const targets = ["a", "button", "input", "select", "textarea"]
    .flatMap((tag) => ["header", "nav", "main", "footer"].map((part) => `${part} ${tag}`))
    .join(", ");
  for (const el of document.querySelectorAll(targets)) {
    if (el.type === "hidden" || !visible(el) || el.closest(".skip")) continue;
    let box = el;
    if (el.type === "checkbox" || el.type === "radio") {
      box = el.closest("label") || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el;
    }
    const height = box.getBoundingClientRect().height;
    if (height >= aimTarget) continue;
    const what = `${describe(el)} ${Math.round(height)}px`;
    if (height >= minTarget) {
      out.belowAim.push(what);
      continue;
    }
    if (el.tagName === "A") {
      // A link inside running text is exempt (WCAG 2.5.8 "inline"): noted, not failed.
      const around = (el.parentElement.innerText || "").trim().length;
      const own = (el.innerText || "").trim().length;
      if (around > own + 3) {
        out.smallLinks.push(`${what} (inline)`);
        continue;
      }
    }
    out.smallControls.push(what);
  }
  return out;
}
