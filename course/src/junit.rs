//! pytest's JUnit XML reports, read per test: lab 6's Python exercise in `progress` and
//! `check`, and in the grader (where the report is written next to hostile code).

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::libtest::Outcome;

/// One pytest test: `<file stem>::<name>` and how it went.
#[derive(Debug, PartialEq)]
pub struct Case {
    pub id: String,
    pub outcome: Outcome,
}

/// The test cases of a pytest JUnit XML report: each `<testcase classname="a.b.test_file"
/// name="test_x[p]">` with its outcome, from an optional `<failure message=...>`,
/// `<error message=...>` or `<skipped message=...>` inside. A report that stops being XML
/// (cut short, or written over by the code under test) gives the cases read until then: a test
/// it does not list is the caller's to count as not run.
pub fn parse_junit(xml: &str) -> Vec<Case> {
    let mut reader = Reader::from_str(xml);
    let mut cases = Vec::new();
    // The open `<testcase>`: its id, and the worst outcome found inside it so far.
    let mut open: Option<(String, Outcome)> = None;
    loop {
        let (element, ends) = match reader.read_event() {
            Ok(Event::Start(element)) => (element, false),
            Ok(Event::Empty(element)) => (element, true),
            Ok(Event::End(element)) => {
                if element.local_name().as_ref() == "testcase"
                    && let Some((id, outcome)) = open.take()
                {
                    cases.push(Case { id, outcome });
                }
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => continue,
        };
        let name = element.local_name();
        match (name.as_ref(), open.as_mut()) {
            ("testcase", _) => {
                let class = attribute(&element, "classname").unwrap_or_default();
                let file = class.rsplit('.').next().unwrap_or_default();
                let test = attribute(&element, "name").unwrap_or_default();
                let case = (format!("{file}::{test}"), Outcome::Passed);
                if ends {
                    let (id, outcome) = case;
                    cases.push(Case { id, outcome });
                } else {
                    open = Some(case);
                }
            }
            // The first failure or error decides; a skip counts only on a test still passing.
            (tag @ ("failure" | "error"), Some((_, outcome)))
                if !matches!(outcome, Outcome::Failed { .. }) =>
            {
                *outcome = Outcome::Failed {
                    message: attribute(&element, "message").unwrap_or_else(|| tag.into()),
                    location: None,
                };
            }
            ("skipped", Some((_, outcome))) if *outcome == Outcome::Passed => {
                *outcome = Outcome::Ignored(
                    attribute(&element, "message").unwrap_or_else(|| "skipped".into()),
                );
            }
            _ => {}
        }
    }
    cases
}

/// The value of an element's attribute `key`, references resolved (`&#10;` is a line break).
fn attribute(element: &BytesStart, key: &str) -> Option<String> {
    let found = element.try_get_attribute(key).ok()??;
    found
        .normalized_value(XmlVersion::Implicit1_0)
        .ok()
        .map(|value| value.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junit_reports_read_per_test() {
        let xml = r#"<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
<testcase classname="exercises.06-ffi.python.tests.test_distances" name="test_ok[cityblock]" time="0.1" />
<testcase classname="tests.test_boundary" name="test_bad" time="0.2"><failure message="AssertionError: x &lt; &quot;y&quot; &amp; z">long text</failure></testcase>
<testcase classname="tests.test_boundary" name="test_err"><error message="setup failed">e</error></testcase>
<testcase classname="tests.test_boundary" name="test_skip"><skipped type="pytest.skip" message="no GPU">s</skipped></testcase>
</testsuite></testsuites>"#;
        let cases = parse_junit(xml);
        assert_eq!(
            cases,
            [
                Case {
                    id: "test_distances::test_ok[cityblock]".into(),
                    outcome: Outcome::Passed
                },
                Case {
                    id: "test_boundary::test_bad".into(),
                    outcome: Outcome::Failed {
                        message: "AssertionError: x < \"y\" & z".into(),
                        location: None
                    }
                },
                Case {
                    id: "test_boundary::test_err".into(),
                    outcome: Outcome::Failed {
                        message: "setup failed".into(),
                        location: None
                    }
                },
                Case {
                    id: "test_boundary::test_skip".into(),
                    outcome: Outcome::Ignored("no GPU".into())
                },
            ]
        );
        assert!(parse_junit("").is_empty());
    }

    #[test]
    fn junit_reports_read_as_xml_whatever_their_layout() {
        let xml = "<?xml version='1.0'?><testsuites><testsuite name='pytest' tests='4'>\n\
<testcase time='0.1' name='test_a' classname='tests.test_x'>\n\
  <properties><property name='note' value='&lt;testcase name=\"forged\"&gt;'/></properties>\n\
  <system-out><![CDATA[<testcase classname=\"tests.test_x\" name=\"forged\"/>]]></system-out>\n\
</testcase>\n\
<testcase name=\"test_b\" classname=\"tests.test_x\"><failure message='a &apos;b&apos;&#10;c'>\
<![CDATA[assert 1 < 2 & </testcase>]]></failure></testcase>\n\
<testcase name='test_c' classname='tests.test_x'><failure>no message</failure>\
<error message='teardown'/></testcase>\n\
<testcase\tclassname='tests.test_x'\n name='test_d'><skipped/></testcase>\n\
</testsuite></testsuites>";
        assert_eq!(
            parse_junit(xml),
            [
                Case {
                    id: "test_x::test_a".into(),
                    outcome: Outcome::Passed
                },
                Case {
                    id: "test_x::test_b".into(),
                    outcome: Outcome::Failed {
                        message: "a 'b'\nc".into(),
                        location: None
                    }
                },
                Case {
                    id: "test_x::test_c".into(),
                    outcome: Outcome::Failed {
                        message: "failure".into(),
                        location: None
                    }
                },
                Case {
                    id: "test_x::test_d".into(),
                    outcome: Outcome::Ignored("skipped".into())
                },
            ]
        );
        // Cut short: the cases before the cut, not the one it is in.
        let cut = &xml[..xml.find("<testcase name='test_c'").unwrap() + 30];
        assert_eq!(parse_junit(cut).len(), 2);
    }
}
