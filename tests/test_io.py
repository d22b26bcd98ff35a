def test_a_killed_writers_temporary_files_are_removed_by_the_next_writer(tmp_path):
    """A run killed while writing leaves `.text.XXXX.tmp.txt` beside `text.txt`; the job that writes `text.txt`
    next removes it first (stancemap.step.fork_script), so a rerun leaves the same files as an uninterrupted run."""
    from stancemap.io import remove_stale_temporaries

    keep = tmp_path / ".other.ab12.tmp.txt"
    stale = tmp_path / ".text.zh_4i23y.tmp.txt"
    for path in (keep, stale, tmp_path / "text.txt"):
        path.write_text("x")
    assert remove_stale_temporaries([tmp_path / "text.txt"]) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.ab12.tmp.txt", "text.txt"]
