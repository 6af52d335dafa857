// The lineage drawing opens at the unit the page is about: on a phone it is wider than the screen,
// and the unit asked about may lie far to the right.
for (const wrap of document.querySelectorAll(".svg-wrap")) {
  const root = wrap.querySelector(".node.root rect");
  if (root) {
    const box = root.getBoundingClientRect(), frame = wrap.getBoundingClientRect();
    wrap.scrollLeft += box.left + box.width / 2 - (frame.left + frame.width / 2);
  }
}
