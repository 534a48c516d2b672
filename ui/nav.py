"""The workshop map: every lesson page in syllabus order, grouped by part, with fixed URL paths.

Only pages whose file exists are listed, so a lesson appears in the sidebar (and on the home page's
map) the moment its file lands. URL paths never change with the language, so shared links survive.
A page's URL path is its file name without the number ("pages/05_convolution.py" → /convolution):
that is also the name Streamlit gives the file before the frame takes over on a fresh server, so a
link opened first still finds its page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Lesson:
    part: str  # locale key of the part, e.g. "nav.part_cnn"
    file: str  # path relative to the repo root
    title: str  # locale key of the page title
    icon: str

    @property
    def url_path(self) -> str:
        """The page's fixed URL path: "" for the home page, else the file name without its number."""
        stem = Path(self.file).stem.split("_", 1)[1]
        return "" if stem == "home" else stem


LESSONS: tuple[Lesson, ...] = (
    Lesson("nav.part_intro", "pages/00_home.py", "nav.home", ":material/school:"),
    Lesson("nav.part_basics", "pages/01_perceptron.py", "nav.perceptron", ":material/radio_button_checked:"),
    Lesson("nav.part_basics", "pages/02_how_networks_learn.py", "nav.playground", ":material/hub:"),
    Lesson("nav.part_basics", "pages/03_water_pipes.py", "nav.water_pipes", ":material/plumbing:"),
    Lesson("nav.part_ml_vs_dl", "pages/04_ml_vs_dl.py", "nav.ml_vs_dl", ":material/compare:"),
    Lesson("nav.part_cnn", "pages/05_convolution.py", "nav.convolution", ":material/grid_on:"),
    Lesson("nav.part_cnn", "pages/06_cnn_training.py", "nav.cnn_training", ":material/model_training:"),
    Lesson("nav.part_cnn", "pages/07_cnn_draw.py", "nav.cnn_draw", ":material/draw:"),
    Lesson("nav.part_rnn", "pages/08_rnn.py", "nav.rnn", ":material/timeline:"),
    Lesson("nav.part_gan", "pages/09_gan.py", "nav.gan", ":material/compare_arrows:"),
    Lesson("nav.part_rl", "pages/10_deep_rl.py", "nav.deep_rl", ":material/sports_esports:"),
    Lesson("nav.part_framework", "pages/11_autograd.py", "nav.autograd", ":material/account_tree:"),
)


def available() -> list[Lesson]:
    """The lessons whose page file exists, in syllabus order."""
    return [lesson for lesson in LESSONS if (ROOT / lesson.file).exists()]
