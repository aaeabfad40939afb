//! The comparison as a picture: one horizontal bar per (side, variant) at one size, on a log
//! time axis (the variants span three orders of magnitude), each bar labelled with its time.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::peers::Side;
use super::table::format_ms;

pub struct Bar {
    pub side: Side,
    pub label: String,
    pub seconds: f64,
}

/// Okabe–Ito colours: told apart by colour-blind readers too.
fn colour(side: Side) -> RGBColor {
    match side {
        Side::Python => RGBColor(230, 159, 0),
        Side::RustBaseline => RGBColor(86, 180, 233),
        Side::RustNative => RGBColor(0, 114, 178),
    }
}

const WIDTH: u32 = 960;
const ROW_HEIGHT: u32 = 24;
const LABEL_WIDTH: u32 = 330;

/// Writes the chart; the first bar is drawn at the top.
pub fn write_svg(path: &Path, title: &str, bars: &[Bar]) -> Result<()> {
    let failed = |error: &dyn std::fmt::Display| anyhow!("drawing {}: {error}", path.display());
    let count = bars.len();
    if count == 0 {
        bail!("no bars to draw in {}", path.display());
    }
    let ms: Vec<f64> = bars.iter().map(|bar| bar.seconds * 1e3).collect();
    let fastest = ms.iter().copied().fold(f64::INFINITY, f64::min);
    let slowest = ms.iter().copied().fold(0.0, f64::max);
    // From a whole decade (where the bars start), with room on the right for the labels.
    let low = 10f64.powf((fastest * 0.8).log10().floor());
    let high = slowest * 3.0;
    let height = 110 + ROW_HEIGHT * count as u32;

    let area = SVGBackend::new(path, (WIDTH, height)).into_drawing_area();
    area.fill(&WHITE).map_err(|e| failed(&e))?;
    let mut chart = ChartBuilder::on(&area)
        .caption(title, ("sans-serif", 17))
        .margin(14)
        .x_label_area_size(38)
        .y_label_area_size(LABEL_WIDTH)
        // Segmenting 0..k gives k + 1 segments, one per bar.
        .build_cartesian_2d((low..high).log_scale(), (0..count - 1).into_segmented())
        .map_err(|e| failed(&e))?;
    // Segment 0 is at the bottom; bar i goes in segment count-1-i.
    let row = |i: usize| count - 1 - i;
    let label_of = |value: &SegmentValue<usize>| match value {
        SegmentValue::CenterOf(segment) if *segment < count => {
            let bar = &bars[row(*segment)];
            format!("{} · {}", bar.side.label(), strip_code(&bar.label))
        }
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(count)
        .y_label_formatter(&label_of)
        .y_label_style(("sans-serif", 13))
        .x_desc("time in ms (log scale; shorter is faster)")
        .x_label_formatter(&|ms| decade(*ms))
        .draw()
        .map_err(|e| failed(&e))?;

    for side in Side::ALL {
        let style = colour(side).filled();
        let bars_of_side = bars.iter().enumerate().filter(|(_, bar)| bar.side == side);
        chart
            .draw_series(bars_of_side.map(|(i, bar)| {
                let segment = row(i);
                let mut rect = Rectangle::new(
                    [
                        (low, SegmentValue::Exact(segment)),
                        (bar.seconds * 1e3, SegmentValue::Exact(segment + 1)),
                    ],
                    style,
                );
                rect.set_margin(3, 3, 0, 0);
                rect
            }))
            .map_err(|e| failed(&e))?
            .label(side.label())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], style));
    }
    let value_font =
        TextStyle::from(("sans-serif", 12).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    chart
        .draw_series(bars.iter().enumerate().map(|(i, bar)| {
            Text::new(
                format!("{} ms", format_ms(bar.seconds)),
                (bar.seconds * 1e3 * 1.08, SegmentValue::CenterOf(row(i))),
                value_font.clone(),
            )
        }))
        .map_err(|e| failed(&e))?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .label_font(("sans-serif", 13))
        .draw()
        .map_err(|e| failed(&e))?;
    area.present().map_err(|e| failed(&e))?;
    Ok(())
}

/// The axis's ticks are whole decades: `0.1`, `1`, `10`, `1000`.
fn decade(ms: f64) -> String {
    match ms >= 1.0 {
        true => format!("{ms:.0}"),
        false => format!("{}", (ms * 1e6).round() / 1e6),
    }
}

/// Markdown's backticks read badly in a picture.
fn strip_code(label: &str) -> String {
    label.replace('`', "")
}
