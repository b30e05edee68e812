//! Integer codes for the strings the metrics group and join on: worker
//! identifiers and team and service names. Hashing millions of strings in
//! polars' joins and uniques dominated the metrics' time at national scale;
//! the strings are coded once here instead, in parallel slices, and every
//! query after works on integers.

use polars::prelude::*;
use rayon::prelude::*;
use std::collections::BTreeSet;

/// `f` applied to each chunk of `ca` on the thread pool, in order. The
/// results, appended, then have the source's chunks: columns made from
/// them line up with the frame's others, which polars otherwise aligns by
/// copying.
fn par_slices<T: Send>(ca: &StringChunked, f: impl Fn(&StringChunked) -> T + Sync) -> Vec<T> {
    let mut start = 0;
    let bounds: Vec<(i64, usize)> = ca
        .chunk_lengths()
        .map(|len| {
            start += len;
            ((start - len) as i64, len)
        })
        .collect();
    bounds
        .into_par_iter()
        .map(|(start, len)| f(&ca.slice(start, len)))
        .collect()
}

fn concat_parts<T: PolarsNumericType>(
    name: &str,
    parts: Vec<ChunkedArray<T>>,
) -> PolarsResult<ChunkedArray<T>> {
    let mut out = ChunkedArray::<T>::full_null(name.into(), 0);
    for part in &parts {
        out.append(part)?;
    }
    Ok(out.with_name(name.into()))
}

/// One worker's identifier as a 64-bit key. A pseudonym (`w` and 16 hex
/// digits) is already 64 bits of a keyed hash, so its digits are the key;
/// any other identifier (pseudonymisation turned off) is hashed to 64 bits.
/// Two workers share a key only by a 64-bit collision, the same odds as two
/// payroll numbers sharing a pseudonym.
fn worker_key(id: &str) -> u64 {
    let hex = id.strip_prefix('w').filter(|h| {
        h.len() == 16
            && h.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    });
    match hex.map(|h| u64::from_str_radix(h, 16)) {
        Some(Ok(k)) => k,
        _ => {
            let h = blake3::hash(id.as_bytes());
            u64::from_le_bytes(h.as_bytes()[..8].try_into().expect("eight bytes"))
        }
    }
}

/// Each frame with a `wid` column: a small code for its
/// `worker_id`, the same worker the same code in every frame, codes given
/// in order of first appearance (so the same every run). The codes go on
/// as columns: joining a code table would copy every column of millions of
/// rows.
pub(super) fn with_worker_codes(frames: &[&DataFrame]) -> PolarsResult<Vec<DataFrame>> {
    // One pass over each chunk, in parallel: keys coded locally, in order
    // of first appearance. The local dictionaries are then merged in chunk
    // order, and each chunk's codes translated through a small table.
    let locals: Vec<Vec<Local<u64>>> = frames
        .iter()
        .map(|df| {
            let ids = df.column("worker_id")?.str()?;
            Ok(par_slices(ids, |s| Local::from_views(s, worker_key)))
        })
        .collect::<PolarsResult<_>>()?;
    let mut code: PlHashMap<u64, u32> = PlHashMap::default();
    for k in locals.iter().flatten().flat_map(|l| &l.found) {
        let next = code.len() as u32;
        code.entry(*k).or_insert(next);
    }
    if code.len() as u64 >= 1 << super::frames::WORKER_BITS {
        return Err(PolarsError::ComputeError(
            "more than 268 million distinct workers".into(),
        ));
    }
    let mut out = Vec::with_capacity(frames.len());
    for (df, locals) in frames.iter().zip(&locals) {
        let wid = translate(locals, |k| code[k]);
        let mut df = (*df).clone();
        df.with_column(concat_parts("wid", wid)?.into_column())?;
        out.push(df);
    }
    Ok(out)
}

/// One chunk's values coded locally: the distinct values in order of first
/// appearance, and each row's index into them.
struct Local<T> {
    found: Vec<T>,
    codes: UInt32Chunked,
}

impl<T: Eq + std::hash::Hash + Clone> Local<T> {
    /// The strings of `s` coded by `value(string)`. Rows are looked up by
    /// their 16-byte views first: strings read from one Parquet dictionary
    /// share their view, so the text is read and `value` run once per view
    /// rather than once per row.
    fn from_views(s: &StringChunked, value: impl Fn(&str) -> T) -> Local<T> {
        let mut by_view: PlHashMap<u128, u32> = PlHashMap::default();
        let mut by_value: PlHashMap<T, u32> = PlHashMap::default();
        let mut found = Vec::new();
        let mut codes: Vec<Option<u32>> = Vec::with_capacity(s.len());
        let valid: Vec<bool> = if s.null_count() == 0 {
            Vec::new()
        } else {
            s.is_not_null().iter().map(|v| v == Some(true)).collect()
        };
        for arr in s.downcast_iter() {
            let views = arr.views();
            for i in 0..arr.len() {
                if !valid.is_empty() && !valid[codes.len()] {
                    codes.push(None);
                    continue;
                }
                let view = views[i].as_u128();
                let code = match by_view.get(&view) {
                    Some(c) => *c,
                    None => {
                        let v = value(arr.value(i));
                        let c = match by_value.get(&v) {
                            Some(c) => *c,
                            None => {
                                let next = found.len() as u32;
                                found.push(v.clone());
                                by_value.insert(v, next);
                                next
                            }
                        };
                        by_view.insert(view, c);
                        c
                    }
                };
                codes.push(Some(code));
            }
        }
        // Without nulls (the usual case) the codes become the column as
        // they stand, without a validity mask built value by value.
        let codes = if valid.is_empty() {
            let plain: Vec<u32> = codes.into_iter().flatten().collect();
            UInt32Chunked::from_vec(PlSmallStr::EMPTY, plain)
        } else {
            codes.into_iter().collect()
        };
        Local { found, codes }
    }
}

/// Each chunk's local codes as global ones, `global` giving the global
/// code of a value; chunks translated in parallel.
fn translate<T: Sync>(
    locals: &[Local<T>],
    global: impl Fn(&T) -> u32 + Sync,
) -> Vec<UInt32Chunked> {
    locals
        .par_iter()
        .map(|l| {
            let table: Vec<u32> = l.found.iter().map(&global).collect();
            match l.codes.cont_slice() {
                Ok(plain) => UInt32Chunked::from_vec(
                    PlSmallStr::EMPTY,
                    plain.iter().map(|c| table[*c as usize]).collect(),
                ),
                Err(_) => l
                    .codes
                    .iter()
                    .map(|c| c.map(|c| table[c as usize]))
                    .collect(),
            }
        })
        .collect()
}

/// A row index for `df` (`UInt32` or `UInt64` as polars indexes), with the
/// frame's chunks: a column in one chunk beside others in many makes
/// polars copy them into line.
pub(super) fn row_index(df: &DataFrame, name: &str) -> PolarsResult<Column> {
    let Some(first) = df.columns().first() else {
        return Ok(Column::new(name.into(), Vec::<IdxSize>::new()));
    };
    let mut out = IdxCa::full_null(name.into(), 0);
    let mut start: IdxSize = 0;
    for len in first.as_materialized_series().chunk_lengths() {
        let end = start + len as IdxSize;
        out.append(&IdxCa::from_vec(name.into(), (start..end).collect()))?;
        start = end;
    }
    Ok(out.into_column())
}

/// Each frame with its `team` and `service` names coded as `team_c` and
/// `service_c` (`UInt32`, null stays null), all from one dictionary: the
/// names found in any of the frames and `extra`, in name order, so codes
/// are the same every run. Returns the frames and the dictionary as
/// `code`, `name`.
pub(super) fn with_name_codes(
    frames: &[&DataFrame],
    extra: &str,
) -> PolarsResult<(Vec<DataFrame>, DataFrame)> {
    const COLUMNS: [(&str, &str); 2] = [("team", "team_c"), ("service", "service_c")];
    let locals: Vec<Vec<Vec<Local<String>>>> = frames
        .iter()
        .map(|df| {
            COLUMNS
                .iter()
                .map(|(from, _)| {
                    let texts = df.column(from)?.str()?;
                    Ok(par_slices(texts, |s| Local::from_views(s, str::to_string)))
                })
                .collect::<PolarsResult<_>>()
        })
        .collect::<PolarsResult<_>>()?;
    let mut names: BTreeSet<&str> = BTreeSet::from([extra]);
    for l in locals.iter().flatten().flatten() {
        names.extend(l.found.iter().map(String::as_str));
    }
    let names: Vec<String> = names.into_iter().map(str::to_string).collect();
    let index: PlHashMap<&str, u32> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i as u32))
        .collect();
    let mut out = Vec::with_capacity(frames.len());
    for (df, locals) in frames.iter().zip(&locals) {
        let mut df = (*df).clone();
        for (locals, (_, to)) in locals.iter().zip(COLUMNS) {
            let parts = translate(locals, |n| index[n.as_str()]);
            df.with_column(concat_parts(to, parts)?.into_column())?;
        }
        out.push(df);
    }
    drop(index);
    let table = DataFrame::new(
        names.len(),
        vec![
            Column::new("code".into(), (0..names.len() as u32).collect::<Vec<_>>()),
            Column::new("name".into(), names),
        ],
    )?;
    Ok((out, table))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pseudonym_is_its_digits_and_any_other_id_is_hashed() {
        assert_eq!(worker_key("w00000000000000ff"), 255);
        assert_eq!(worker_key("wffffffffffffffff"), u64::MAX);
        // Not pseudonyms: capitals, a digit short, payroll numbers.
        assert_ne!(worker_key("w00000000000000FF"), 255);
        assert_ne!(worker_key("w0000000000000ff"), 255);
        assert_eq!(worker_key("E1234"), worker_key("E1234"));
        assert_ne!(worker_key("E1234"), worker_key("E1235"));
    }

    #[test]
    fn a_worker_has_one_code_in_every_frame_in_order_of_first_appearance() {
        let workforce = df!("worker_id" => [Some("B"), Some("A"), None, Some("B")]).unwrap();
        let leavers = df!("worker_id" => ["C", "A"]).unwrap();
        let coded = with_worker_codes(&[&workforce, &leavers]).unwrap();
        let wid = |df: &DataFrame| -> Vec<Option<u32>> {
            df.column("wid").unwrap().u32().unwrap().iter().collect()
        };
        assert_eq!(wid(&coded[0]), [Some(0), Some(1), None, Some(0)]);
        assert_eq!(wid(&coded[1]), [Some(2), Some(1)]);
    }

    #[test]
    fn names_are_coded_in_name_order_across_frames_and_null_stays_null() {
        let workforce = df!(
            "team" => [Some("Zeta"), None, Some("Alpha"), Some("Zeta")],
            "service" => [Some("Mid"), Some("Alpha"), Some("Mid"), None],
        )
        .unwrap();
        let leavers = df!("team" => ["Beta"], "service" => ["Mid"]).unwrap();
        let (coded, names) = with_name_codes(&[&workforce, &leavers], "None named").unwrap();
        let got: Vec<Option<&str>> = names
            .column("name")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(
            got,
            [
                Some("Alpha"),
                Some("Beta"),
                Some("Mid"),
                Some("None named"),
                Some("Zeta")
            ]
        );
        let codes = |df: &DataFrame, c: &str| -> Vec<Option<u32>> {
            df.column(c).unwrap().u32().unwrap().iter().collect()
        };
        assert_eq!(
            codes(&coded[0], "team_c"),
            [Some(4), None, Some(0), Some(4)]
        );
        assert_eq!(
            codes(&coded[0], "service_c"),
            [Some(2), Some(0), Some(2), None]
        );
        assert_eq!(codes(&coded[1], "team_c"), [Some(1)]);
        assert_eq!(codes(&coded[1], "service_c"), [Some(2)]);
    }
}
