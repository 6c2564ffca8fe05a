"""Rating each 2020–2025 row against its target, rolling rows up to items and communes.

Pure functions on the prepared rows of every old commune at once, vectorised. A rating is computed
from the target, the result and the indicator's direction in the catalogue; nothing is tuned to
agree with the published rating, and every disagreement becomes a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.catalogue import Catalogue
from pipeline.judge import kinds
from pipeline.parse import EMPTY, NUMBER, QUALITY, RANGE, format_vi, parse_number
from schemas.stages import (
    RESULT,
    TARGET,
    IndicatorsRead,
    InfoRead,
    Located,
    OfCommune,
    Parsed,
    ResultRows,
    ResultRowsRead,
    ScoredRows,
)
from schemas.vocabulary import (
    EXCEEDED,
    GROUP,
    LOWER,
    MET,
    MISSED,
    NO_DATA,
    NOT_COMPARABLE,
    QUALITATIVE,
    RANK,
    RATINGS,
    YES,
)


def _quoted(label: str | np.ndarray, text: np.ndarray) -> np.ndarray:
    return label + ' "' + text + '"'


def _equal_at_printed_precision(diff: pd.Series, decimals: pd.Series) -> pd.Series:
    """Zero at the precision printed: the two numbers compared as printed (1,130 = 1,13), so
    only a float's noise is ignored, never a printed difference (59,6 is below 60)."""
    return np.round(diff * 10.0**decimals) == 0


def rate(
    rows: pd.DataFrame,
    target: Parsed = TARGET,
    result: Parsed = RESULT,
    labels: tuple[str | pd.Series, str] = ("chỉ tiêu", "kết quả"),
) -> tuple[np.ndarray, np.ndarray]:
    """The rating and the reason (in Vietnamese, with the printed values) of every row's
    `result` against its `target` (parsed columns), named in reasons by `labels` (the target's
    may be a word per row: "lộ trình năm 2027").

    For the 2020-2025 table these are `danh_gia_tinh` and `ly_do`.

    Higher is better: above the target is Vượt, equal as printed is Đạt, below is Không đạt;
    lower is better mirrors it. A bound is met at the bound when its words include it
    (≥, "trở lên") and exceeded beyond it; a strict bound (>, "trên", "dưới") must be passed. A
    range is met inside it and exceeded past its good end. A result printed as a range counts at
    its weaker end. No result: Chưa có số liệu. A target in words, or a number against "Đạt":
    Không so được.
    """
    facts = _Facts.of(rows, target, result)
    return _first_case(_cases(facts, _Words(rows, target, result, labels, facts)), rows.index)


@dataclass
class _Facts:
    """What a rating decides on, per row: the kinds of target and result, the direction, the
    result's value that counts, and how it stands against the target's ends at the printed
    precision."""

    t_kind: pd.Series
    r_kind: pd.Series
    lower: pd.Series  # lower is better
    qualitative: pd.Series  # the catalogue says the indicator is qualitative
    value: pd.Series  # the result's weaker end
    is_range: pd.Series
    strict: pd.Series  # a bound that must be passed (>, <)
    beyond: pd.Series  # past the target's good end
    short: pd.Series  # short of its near end

    @classmethod
    def of(cls, rows: pd.DataFrame, target: Parsed, result: Parsed) -> _Facts:
        t_kind, r_kind = rows[target.kind], rows[result.kind]
        lower = rows[IndicatorsRead.chieu] == LOWER
        value = rows[result.hi].where(lower, rows[result.lo])
        is_range = t_kind == RANGE
        good = rows[target.lo].where(lower | ~is_range, rows[target.hi])
        near = rows[target.hi].where(lower & is_range, rows[target.lo])
        sign = np.where(lower, -1.0, 1.0)
        decimals = np.maximum(rows[target.decimals], rows[result.decimals]).astype(float)
        past_good = (value - good) * sign
        past_near = (value - near) * sign
        return cls(
            t_kind,
            r_kind,
            lower,
            rows[IndicatorsRead.chieu] == QUALITATIVE,
            value,
            is_range,
            rows[target.op].isin([">", "<"]) & ~is_range,
            (past_good > 0) & ~_equal_at_printed_precision(past_good, decimals),
            (past_near < 0) & ~_equal_at_printed_precision(past_near, decimals),
        )

    @property
    def numeric(self) -> pd.Series:
        return self.t_kind.isin([NUMBER, RANGE]) & self.r_kind.isin([NUMBER, RANGE])


class _Words:
    """The reasons' words, built only for the rows (`h`, a mask by position) whose case says
    them (a country has 200.000 rows). They are joined as arrays of Python strings: a step on a
    pandas column of text costs a tenth of a millisecond whatever its rows, and a reason is
    made of half a dozen."""

    def __init__(self, rows, target: Parsed, result: Parsed, labels, facts: _Facts) -> None:
        self.rows, self.target, self.result = rows, target, result
        label = labels[0]
        self.label = label.to_numpy(object) if isinstance(label, pd.Series) else label
        self.result_label = labels[1]
        self.target_text = rows[target.text].to_numpy(object)
        self.result_text = rows[result.text].to_numpy(object)
        self.ranged = (facts.r_kind == RANGE).to_numpy(bool)
        self.lower = facts.lower.to_numpy(bool)
        self.value = facts.value.to_numpy(object)

    def aim(self, h: np.ndarray) -> np.ndarray:
        """The target as printed, named ("chỉ tiêu", or a word per row)."""
        label = self.label[h] if isinstance(self.label, np.ndarray) else self.label
        return _quoted(label, self.target_text[h])

    def shown(self, h: np.ndarray) -> np.ndarray:
        """The result as printed, named, with the end that counts if it is a range."""
        said = _quoted(self.result_label, self.result_text[h])
        ranged = self.ranged[h]
        if ranged.any():
            end = ["" if pd.isna(v) else format_vi(v) for v in self.value[h][ranged]]  # a few rows
            side = np.where(self.lower[h][ranged], "trên ", "dưới ").astype(object)
            said[ranged] += " (tính theo đầu " + side + np.asarray(end, dtype=object) + ")"
        return said

    def sense(self, h: np.ndarray) -> np.ndarray:
        """Which way is better, in brackets."""
        return " (" + np.where(self.lower[h], "thấp", "cao").astype(object) + " hơn là tốt)"


def _cases(f: _Facts, w: _Words) -> list:
    """The rating's rule, in order: the first case whose condition holds gives the rating and
    the reason's words; the last, with no condition, holds for every row left (equal)."""
    both_quality = (f.t_kind == QUALITY) & (f.r_kind == QUALITY)
    same_quality = w.rows[w.result.quality] == w.rows[w.target.quality]
    shown, aim, sense = w.shown, w.aim, w.sense
    return [
        (f.r_kind == EMPTY, NO_DATA, lambda h: "không có kết quả thực hiện"),
        (f.t_kind == EMPTY, NOT_COMPARABLE, lambda h: "không có chỉ tiêu để so"),
        (both_quality & same_quality, MET, lambda h: shown(h) + " đúng như " + aim(h)),
        (both_quality, MISSED, lambda h: shown(h) + ", " + aim(h)),
        (
            (f.t_kind == QUALITY) | (f.r_kind == QUALITY) | f.qualitative,
            NOT_COMPARABLE,
            lambda h: "chỉ tiêu và kết quả không cùng dạng (định tính và số)",
        ),
        (
            ~f.numeric,
            NOT_COMPARABLE,
            lambda h: "chỉ tiêu ghi bằng lời, không so được với kết quả",
        ),
        (f.strict & f.beyond, EXCEEDED, lambda h: shown(h) + " vượt ngưỡng " + aim(h)),
        (
            f.strict,
            MISSED,
            lambda h: shown(h) + " chưa vượt ngưỡng " + aim(h) + " như lời chỉ tiêu đòi hỏi",
        ),
        (
            f.is_range & f.beyond,
            EXCEEDED,
            lambda h: shown(h) + " vượt qua đầu tốt của khoảng " + aim(h) + sense(h),
        ),
        (
            f.is_range & f.short,
            MISSED,
            lambda h: shown(h) + " chưa vào khoảng " + aim(h) + sense(h),
        ),
        (f.is_range, MET, lambda h: shown(h) + " nằm trong khoảng " + aim(h)),
        (f.beyond, EXCEEDED, lambda h: shown(h) + " tốt hơn " + aim(h) + sense(h)),
        (f.short, MISSED, lambda h: shown(h) + " kém hơn " + aim(h) + sense(h)),
        (None, MET, lambda h: shown(h) + " bằng " + aim(h)),  # none of the above: equal
    ]


def _first_case(cases: list, index: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Each row's rating and reason, from the first of `cases` that holds for it."""
    conditions = [c.fillna(False).to_numpy(bool) for c, _, _ in cases[:-1]]
    case = np.select(conditions, range(len(conditions)), default=len(conditions))
    rating = np.asarray([r for _, r, _ in cases], dtype=object)[case]
    reason = np.empty(len(index), dtype=object)
    for number, (_, _, words) in enumerate(cases):
        hit = case == number
        if hit.any():
            reason[hit] = words(hit)
    return rating, reason


def achievement(rows: pd.DataFrame, target: Parsed = TARGET, result: Parsed = RESULT) -> pd.Series:
    """The achievement ratio in %, as the report's prose quotes it (24,8 / 13,5 = 183,7%): the
    arithmetic only; whether it is printed is `printed_ratio`'s.

    Higher is better: result / target. Lower is better: target / result (60 / 59,46 = 100,9%),
    so that above 100% is better either way. A range target counts at the end one must reach
    (its lower end when higher is better); a result range at its weaker end.
    """
    lower = rows[IndicatorsRead.chieu] == LOWER
    numeric = rows[target.kind].isin([NUMBER, RANGE]) & rows[result.kind].isin([NUMBER, RANGE])
    aim = rows[target.hi].where(lower, rows[target.lo])
    value = rows[result.hi].where(lower, rows[result.lo])
    ratio = (aim / value).where(lower, value / aim) * 100
    usable = numeric & (rows[IndicatorsRead.chieu] != QUALITATIVE)
    return ratio.where(usable).replace([np.inf, -np.inf], np.nan).round(1)


def score_rows(rows: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Every indicator row (group rows left out) with its direction, computed rating, reason and
    achievement ratio, and the rating that stands."""
    scored = rows[rows[ResultRows.loai_dong] != GROUP].assign(
        chieu=lambda d: catalogue.of_indicator(d[ResultRows.ma_key], "chieu")
    )
    rating, reason = rate(scored)
    return (
        scored.assign(danh_gia_tinh=rating, ly_do=reason, ty_le_dat=achievement)
        .pipe(final_rating)
        .pipe(printed_ratio)
    )


NO_RATIO = "không in tỷ lệ đạt: "
# the band a printed ratio reads as: above 100 % exceeded, 100 % met, below missed
BAND = ((np.greater, EXCEEDED), (np.equal, MET), (np.less, MISSED))
CEILING = re.compile(r"dưới\s*([\d.,]+)\s*%?")  # "xuống dưới 12%" in a row's name


def printed_ratio(scored: pd.DataFrame) -> pd.DataFrame:
    """The achievement ratio only where it reads the right way (docs/rules.md), and
    `ly_do_khong_ty_le` why not where the arithmetic gives one that is not printed: never for a
    kind whose meaning has none (a rate); never where the target or the result is a range, or
    either is negative; never for a strict ceiling where lower is better (12 / 1,24 = 967,7 %
    measures how far below "dưới 12%" the result went, not how much of the target was done);
    never where its band contradicts the rating that stands (90 against ">90": 100 % reads
    "Đạt", the rating is "Không đạt")."""
    ratio = scored[ScoredRows.ty_le_dat]
    ceiling = _ceiling(scored)

    # the texts said, as Python strings (joined as `_Words` joins them)
    kind, aim, shown = (
        scored[c].to_numpy(object) for c in (ResultRows.loai_muc_tieu, TARGET.text, RESULT.text)
    )
    bound = ceiling.to_numpy(object)
    cases = [  # `h`: the rows a case holds for, a mask by position
        (
            ~kinds.of(scored[ResultRows.loai_muc_tieu], "ratio").astype(bool),
            lambda h: (
                'chỉ tiêu loại "' + kind[h] + '": kết quả chia cho chỉ tiêu không phải là mức đạt'
            ),
        ),
        (scored[TARGET.kind] == RANGE, lambda h: 'chỉ tiêu là khoảng "' + aim[h] + '"'),
        (scored[RESULT.kind] == RANGE, lambda h: 'kết quả là khoảng "' + shown[h] + '"'),
        (
            (scored[TARGET.lo] < 0) | (scored[RESULT.lo] < 0),
            lambda h: "chỉ tiêu hoặc kết quả là số âm",
        ),
        (
            ceiling != "",
            lambda h: (
                'chỉ tiêu là ngưỡng "'
                + bound[h]
                + '" (thấp hơn là tốt): kết quả xuống dưới ngưỡng bao nhiêu không phải là mức đạt'
            ),
        ),
        (
            _contradicts(scored),
            lambda h: _contradiction(
                scored.loc[h, [ScoredRows.ty_le_dat, ScoredRows.danh_gia_chot]]
            ).to_numpy(object),
        ),
    ]
    # set by position (a Series set through a mask aligns its index: a millisecond a case)
    why = np.full(len(scored), "", dtype=object)
    left = ratio.notna().to_numpy(copy=True)
    for condition, words in cases:
        hit = left & condition.fillna(False).astype(bool).to_numpy()
        if hit.any():
            why[hit] = NO_RATIO + words(hit)
        left &= ~hit
    why = pd.Series(why, index=scored.index)
    return scored.assign(ty_le_dat=ratio.where(why == ""), ly_do_khong_ty_le=why.astype("str"))


def _ceiling(scored: pd.DataFrame) -> pd.Series:
    """Each lower-is-better row's strict ceiling as its words give it ("dưới 12%" in its name
    for a target printed "12", or a target printed "< 10"); "" where there is none, or no ratio
    to print."""
    lower = (scored[IndicatorsRead.chieu] == LOWER) & scored[ScoredRows.ty_le_dat].notna()
    found = pd.Series("", index=scored.index, dtype=object)
    strict = lower & (scored[TARGET.op] == "<")
    found[strict] = scored.loc[strict, TARGET.text]
    for index in scored.index[lower & ~strict]:  # a few rows: a poverty rate, a share of labour
        name = str(scored.at[index, ResultRowsRead.chi_tieu]).lower()
        for said in CEILING.finditer(name):
            try:
                bound = parse_number(said[1].rstrip(".,")).value
            except ValueError:
                continue
            if np.isclose(bound, float(scored.at[index, TARGET.lo])):
                found[index] = said[0]
                break
    return found


def _band(ratio: pd.Series) -> pd.Series:
    """The rating a ratio reads as, as printed (to one decimal)."""
    return pd.Series(
        np.select([test(ratio, 100.0) for test, _ in BAND], [word for _, word in BAND], ""),
        index=ratio.index,
    )


def _contradicts(scored: pd.DataFrame) -> pd.Series:
    ratio = scored[ScoredRows.ty_le_dat]
    return ratio.notna() & (_band(ratio) != scored[ScoredRows.danh_gia_chot])


def _contradiction(rows: pd.DataFrame) -> pd.Series:
    ratio = rows[ScoredRows.ty_le_dat]
    return (
        ratio.map(lambda r: format_vi(r, 1))
        + '% đọc là "'
        + _band(ratio)
        + '", trái với đánh giá "'
        + rows[ScoredRows.danh_gia_chot]
        + '"'
    )


def final_rating(scored: pd.DataFrame) -> pd.DataFrame:
    """`danh_gia_chot`: the published rating where an officer kept it on purpose (column "Giữ
    đánh giá công bố" with a reason), the computed one everywhere else."""
    kept = scored[ResultRowsRead.giu_danh_gia] == YES
    return scored.assign(
        danh_gia_chot=scored[ResultRowsRead.danh_gia].where(kept, scored[ScoredRows.danh_gia_tinh])
    )


def items(scored: pd.DataFrame) -> pd.DataFrame:
    """One line per item (numbered row with its sub-rows), rated by its weakest sub-row."""
    columns = {
        ScoredRows.danh_gia_tinh: "danh_gia_tinh",
        ResultRowsRead.danh_gia: "danh_gia_cong_bo",
        ScoredRows.danh_gia_chot: "danh_gia_chot",
    }
    by_rank = {rank: word for word, rank in RANK.items()}
    return (
        scored.assign(**{c: scored[c].replace("", NO_DATA).map(RANK) for c in columns})
        .groupby([OfCommune.ma_xa, Located.tep, ResultRows.nhom, ResultRows.muc], sort=False)[
            list(columns)
        ]
        .min()
        .apply(lambda column: column.map(by_rank))
        .rename(columns=columns)
        .reset_index()
    )


def sentence(counts: dict[str, int]) -> str:
    """A tally in the report's words: "20 chỉ tiêu: 07 vượt, 10 đạt, 03 không đạt"."""
    total = sum(counts.values())
    parts = [f"{counts.get(r, 0):02d} {r.lower()}" for r in (EXCEEDED, MET, MISSED)]
    parts += [f"{counts[r]:02d} {r.lower()}" for r in (NO_DATA, NOT_COMPARABLE) if counts.get(r)]
    return f"{total} chỉ tiêu: " + ", ".join(parts)


def tallies(item_ratings: pd.DataFrame) -> pd.DataFrame:
    """Per old commune: the number of items and the counts of each rating, computed, published
    and final, with each tally as the report words it."""
    words = [r.word for r in RATINGS]
    frames = []
    for source, suffix in (
        (ScoredRows.danh_gia_tinh, InfoRead.tinh),
        ("danh_gia_cong_bo", "cong_bo"),
        ("danh_gia_chot", "chot"),
    ):
        counts = (
            item_ratings.groupby([OfCommune.ma_xa, source], sort=True)
            .size()
            .unstack(fill_value=0)
            .reindex(columns=words, fill_value=0)
        )
        said = [sentence(dict(zip(words, row, strict=True))) for row in counts.to_numpy()]
        counts = counts.set_axis([f"{r.slug}_{suffix}" for r in RATINGS], axis=1)
        counts[f"cau_tong_hop_{suffix}"] = said
        frames.append(counts)
    return (
        pd.concat(frames, axis=1)
        .assign(so_chi_tieu=item_ratings.groupby(OfCommune.ma_xa).size())
        .reset_index()
    )
