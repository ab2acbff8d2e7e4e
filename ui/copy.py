"""A one-click Copy button for an answer.

Streamlit has no clipboard button of its own (its code blocks copy on a second click, after
hovering), so this is a tiny component: its iframe may write to the clipboard. The text goes in
as a JSON string with `<`, `>` and `&` escaped, so nothing in an answer can end the script or
add markup.
"""

import json

from streamlit.components.v1 import html

_PAGE = """<button id="copy" style="font: 14px 'Source Sans Pro', sans-serif; padding: 4px 12px;
border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 8px; background: white;
cursor: pointer; color: rgb(49, 51, 63)">Copy</button>
<script>
const text = %s;
const button = document.getElementById("copy");
button.addEventListener("click", async () => {
  await navigator.clipboard.writeText(text);
  button.textContent = "Copied";
  setTimeout(() => { button.textContent = "Copy"; }, 2000);
});
</script>"""


def copy_button(text: str) -> None:
    """A button that puts `text` on the clipboard in one click."""
    encoded = json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e")
    html(_PAGE % encoded.replace("&", "\\u0026"), height=40)
