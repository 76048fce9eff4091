"""How the detector cuts a message into words: one definition for every module.

Tokens are taken from the lower-cased text and keep the joins that make one word in
clinical chat -- "i'm", "a1c", "x-ray", "no-show", "htn/dm", "d&c", "l&d" -- and letters
with accents ("José", "Núñez", "Łukasz"). The capitalised forms of the same tokens (to tell a name
from a word) come from :data:`TOKEN_ANY_CASE`, which cuts the original text at the same
places.
"""

from __future__ import annotations

import re

# Upper- and lower-case letters, accented ones included.
UPPER = "A-ZÀ-ÖØ-Þ\u0100-\u017f\u1e00-\u1eff"
LOWER = "a-zß-öø-ÿ\u0100-\u017f\u1e00-\u1eff"

TOKEN = re.compile(
    r"[a-z0-9à-öø-ÿ\u0100-\u017f\u1e00-\u1eff]+"
    r"(?:['’/&-][a-z0-9à-öø-ÿ\u0100-\u017f\u1e00-\u1eff]+)*"
)
TOKEN_ANY_CASE = re.compile(
    r"[a-zA-Z0-9À-ÖØ-öø-ÿ\u0100-\u017f\u1e00-\u1eff]+"
    r"(?:['’/&-][a-zA-Z0-9À-ÖØ-öø-ÿ\u0100-\u017f\u1e00-\u1eff]+)*"
)
