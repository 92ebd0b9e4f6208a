import pytest

from lmlab.fig import tokens


def test_show_token_escapes_markup_and_can_show_whitespace():
    assert tokens.show_token("<unk>") == "&lt;unk&gt;"
    assert tokens.show_token("be") == "be" and tokens.show_token(3) == "3"
    assert tokens.show_token(" ") == " " and tokens.show_token("&") == "&amp;"
    shown = [tokens.show_token(s, visible_whitespace=True) for s in (" ", "\n", "\t", "<", "a")]
    assert shown == ["␣", "↵", "⇥", "&lt;", "a"]


def test_text_to_html():
    assert tokens.text_to_html("a <unk> b\n\nc & d") == "a &lt;unk&gt; b<br><br>c &amp; d"
    wrapped = tokens.text_to_html("x" * 25 + "\nshort", width=10)
    assert wrapped.split("<br>") == ["x" * 10, "x" * 10, "x" * 5, "short"]
    with pytest.raises(TypeError, match="text must be a str"):
        tokens.text_to_html(None)
    with pytest.raises(ValueError, match="width must be None or an integer >= 1"):
        tokens.text_to_html("abc", width=0)


def test_sample_html_escapes_prompt_and_text():
    out = tokens.sample_html("<b>to be", " or <unk> & so", head="<b>head</b>")
    assert "&lt;b&gt;to be</span> or &lt;unk&gt; &amp; so</div>" in out
    assert out.startswith("<div><b>head</b></div>") and "<script" not in out
    assert "pre-wrap" in tokens.sample_html("a", "b\nc", monospace=True)
    with pytest.raises(TypeError, match="prompt must be a str"):
        tokens.sample_html(None, "x")
