//! Did-you-mean: the edit distance between names (ignoring ASCII case, counting a swap of
//! two neighbours as one edit, as in `dyanmodb`) and the choice of the closest candidate.

/// The optimal-string-alignment distance between `a` and `b`, ignoring ASCII case.
/// Returns `limit + 1` as soon as the distance is known to exceed `limit`.
pub fn edit_distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<u8> = a.bytes().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<u8> = b.bytes().map(|c| c.to_ascii_lowercase()).collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let w = b.len() + 1;
    let mut prev2 = vec![0usize; w];
    let mut prev: Vec<usize> = (0..w).collect();
    let mut cur = vec![0usize; w];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..w {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > limit {
            return limit + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[w - 1].min(limit + 1)
}

/// How far a name may be from a candidate to be suggested: one edit for short names, about
/// one per four characters for longer ones, never more than three.
pub fn max_distance(name: &str) -> usize {
    (name.len() / 4).clamp(1, 3)
}

/// The candidates closest to `name` within [`max_distance`], best first (ties in input
/// order). Exact matches (ignoring case) are not suggestions and are left out.
pub fn closest<'a, I>(name: &str, candidates: I) -> Vec<(&'a str, usize)>
where
    I: IntoIterator<Item = &'a str>,
{
    let limit = max_distance(name);
    let mut out: Vec<(&'a str, usize)> = candidates
        .into_iter()
        .map(|c| (c, edit_distance(name, c, limit)))
        .filter(|&(_, d)| d >= 1 && d <= limit)
        .collect();
    out.sort_by_key(|&(_, d)| d);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("dyanmodb", "dynamodb", 3), 1);
        assert_eq!(edit_distance("GetObjects", "GetObject", 3), 1);
        assert_eq!(edit_distance("getobject", "GetObject", 3), 0);
        assert_eq!(edit_distance("s3", "ec2", 3), 3);
        assert_eq!(edit_distance("s3", "ec2", 1), 2);
        assert_eq!(edit_distance("abc", "xyzabc", 1), 2);
        assert_eq!(edit_distance("", "ab", 5), 2);
    }

    #[test]
    fn closest_orders_by_distance() {
        let c = closest("GetObjects", ["GetObjectAcl", "GetObject", "PutObject"]);
        assert_eq!(c.first(), Some(&("GetObject", 1)));
    }

    proptest::proptest! {
        #[test]
        fn distance_is_symmetric(a in "[a-zA-Z]{0,12}", b in "[a-zA-Z]{0,12}") {
            proptest::prop_assert_eq!(edit_distance(&a, &b, 30), edit_distance(&b, &a, 30));
        }
    }
}
