// Material 9.8's search overlay is a role="dialog" without an accessible name, which
// axe reports as a serious violation; name it here rather than copy the theme's whole
// search partial into overrides/.
document.querySelectorAll('.md-search[role="dialog"]').forEach(function (dialog) {
  if (!dialog.getAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
});
