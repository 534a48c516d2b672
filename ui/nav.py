"""The workshop map: every lesson page in syllabus order, grouped by part, with fixed URL paths.

Only pages whose file exists are listed, so a lesson appears in the sidebar (and on the home page's
map) the moment its file lands. URL paths never change with the language, so shared links survive.
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
    url_path: str  # "" for the home page
    icon: str


LESSONS: tuple[Lesson, ...] = (
    Lesson("nav.part_intro", "pages/00_home.py", "nav.home", "", ":material/school:"),
    Lesson("nav.part_basics", "pages/01_perceptron.py", "nav.perceptron", "perceptron", ":material/radio_button_checked:"),
    Lesson("nav.part_basics", "pages/02_how_networks_learn.py", "nav.playground", "how-networks-learn", ":material/hub:"),
    Lesson("nav.part_basics", "pages/03_water_pipes.py", "nav.water_pipes", "water-pipes", ":material/plumbing:"),
    Lesson("nav.part_ml_vs_dl", "pages/04_ml_vs_dl.py", "nav.ml_vs_dl", "ml-vs-dl", ":material/compare:"),
    Lesson("nav.part_cnn", "pages/05_convolution.py", "nav.convolution", "convolution", ":material/grid_on:"),
    Lesson("nav.part_cnn", "pages/06_cnn_training.py", "nav.cnn_training", "cnn-training", ":material/model_training:"),
    Lesson("nav.part_cnn", "pages/07_cnn_draw.py", "nav.cnn_draw", "cnn-draw-and-apply", ":material/draw:"),
    Lesson("nav.part_rnn", "pages/08_rnn.py", "nav.rnn", "rnn", ":material/timeline:"),
    Lesson("nav.part_gan", "pages/09_gan.py", "nav.gan", "gan", ":material/compare_arrows:"),
    Lesson("nav.part_rl", "pages/10_deep_rl.py", "nav.deep_rl", "deep-rl", ":material/sports_esports:"),
    Lesson("nav.part_framework", "pages/11_autograd.py", "nav.autograd", "autograd", ":material/account_tree:"),
)


def available() -> list[Lesson]:
    """The lessons whose page file exists, in syllabus order."""
    return [lesson for lesson in LESSONS if (ROOT / lesson.file).exists()]
