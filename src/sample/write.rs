//! Writers for the simulated snapshots. The council's history comes in the three shapes
//! HR systems really produce (a year's CSV export, monthly CSVs with other headers, and
//! monthly workbooks), so importers meet header synonyms, value spellings and cell types
//! they must handle; the national sample is one lean CSV written row by row.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::error::{self, Error, Result, range};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ColNum, DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

use super::model::{
    Employment, EstablishmentRow, LeaverRecord, Org, Sink, SupervisionSession, Worker,
};

/// The first year of the council's history arrives as one export.
const YEAR_FILE_MONTHS: usize = 12;
/// Then monthly CSVs up to this month index, then monthly workbooks.
const CSV_MONTHS_END: usize = 18;
/// Standard weekly hours for converting FTE to contracted hours.
const STANDARD_HOURS: u32 = 37;
pub(crate) const WORKBOOK_SHEET: &str = "Staff in post";

const YEAR_HEADERS: [&str; 17] = [
    "Employee Number",
    "Full Name",
    "Team Name",
    "Service Area",
    "Job Title",
    "FTE",
    "Contract Type",
    "Date Started",
    "Qualification Date",
    "ASYE Status",
    "Open Cases",
    "Date of Last Supervision",
    "Leaving Date",
    "Leaving Reason",
    "Day Rate",
    "Covering Vacancy",
    "Extract Date",
];

const NATIONAL_HEADERS: [&str; 16] = [
    "Employee Number",
    "Team Name",
    "Service Area",
    "Job Title",
    "FTE",
    "Contract Type",
    "Date Started",
    "Qualification Date",
    "ASYE Status",
    "Open Cases",
    "Date of Last Supervision",
    "Leaving Date",
    "Leaving Reason",
    "Day Rate",
    "Covering Vacancy",
    "Extract Date",
];

const MONTH_HEADERS: [&str; 17] = [
    "Staff ID",
    "Employee Name",
    "Org Unit",
    "Directorate",
    "Position Title",
    "Weekly Hours",
    "Employment Type",
    "Hire Date",
    "Date Qualified",
    "NQSW",
    "Caseload",
    "Last Supervision Date",
    "Termination Date",
    "Reason for Leaving",
    "Daily Rate",
    "Vacancy Cover",
    "Report Date",
];

const WORKBOOK_HEADERS: [&str; 17] = [
    "Person ID",
    "Name",
    "Team",
    "Service",
    "Role",
    "WTE",
    "Worker Type",
    "Start Date",
    "Registration Date",
    "Newly Qualified",
    "Allocated Cases",
    "Last Supervision",
    "End Date",
    "Termination Reason",
    "Agency Day Rate",
    "Covers Vacancy",
    "As At Date",
];

const LEAVER_HEADERS: [&str; 6] = [
    "Payroll Number",
    "Leaving Date",
    "FTE",
    "Team",
    "Employment Type",
    "Leaving Reason",
];

const ESTABLISHMENT_HEADERS: [&str; 4] = ["Team", "Service", "Funded FTE", "Effective Date"];
const SUPERVISION_HEADERS: [&str; 2] = ["Staff Number", "Supervision Date"];

const MONTH_ABBREVIATIONS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

#[derive(Clone, Copy)]
enum DateStyle {
    /// `31/03/2024`
    Slash,
    /// `31-Mar-2024`
    Abbreviated,
}

/// Which HR system's spelling of contract types a file uses.
#[derive(Clone, Copy)]
enum Labels {
    Year,
    Month,
    Workbook,
}

struct CsvStyle {
    headers: &'static [&'static str],
    names: bool,
    dates: DateStyle,
    hours: bool,
    labels: Labels,
    short_flags: bool,
    pound: bool,
}

const YEAR_STYLE: CsvStyle = CsvStyle {
    headers: &YEAR_HEADERS,
    names: true,
    dates: DateStyle::Slash,
    hours: false,
    labels: Labels::Year,
    short_flags: true,
    pound: true,
};

const MONTH_STYLE: CsvStyle = CsvStyle {
    headers: &MONTH_HEADERS,
    names: true,
    dates: DateStyle::Abbreviated,
    hours: true,
    labels: Labels::Month,
    short_flags: false,
    pound: false,
};

/// The year export's layout without the name column: at national scale names only
/// cost space.
const NATIONAL_STYLE: CsvStyle = CsvStyle {
    headers: &NATIONAL_HEADERS,
    names: false,
    dates: DateStyle::Slash,
    hours: false,
    labels: Labels::Year,
    short_flags: true,
    pound: true,
};

// ----- the council's files ----------------------------------------------------------

/// Writes each month to the file the council's HR system would have produced for it.
pub(crate) struct CouncilFiles {
    dir: PathBuf,
    dates: Vec<NaiveDate>,
    year: Option<CsvOut>,
    month: Option<CsvOut>,
    workbook: Option<MonthWorkbook>,
    files: Vec<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    YearExport,
    MonthlyCsv,
    MonthlyWorkbook,
}

fn phase(index: usize) -> Phase {
    if index < YEAR_FILE_MONTHS {
        Phase::YearExport
    } else if index < CSV_MONTHS_END {
        Phase::MonthlyCsv
    } else {
        Phase::MonthlyWorkbook
    }
}

impl CouncilFiles {
    pub(crate) fn new(dir: &Path, dates: &[NaiveDate]) -> CouncilFiles {
        CouncilFiles {
            dir: dir.to_path_buf(),
            dates: dates.to_vec(),
            year: None,
            month: None,
            workbook: None,
            files: Vec::new(),
        }
    }

    pub(crate) fn into_files(self) -> Vec<PathBuf> {
        self.files
    }

    fn year_file_name(&self) -> Result<String> {
        let first = self.dates.first().ok_or(Error::NoSnapshotMonths)?;
        let last_index = YEAR_FILE_MONTHS.min(self.dates.len()).saturating_sub(1);
        let last = self.dates.get(last_index).ok_or(Error::NoSnapshotMonths)?;
        Ok(format!(
            "workforce_{}_to_{}.csv",
            year_month(*first),
            year_month(*last)
        ))
    }
}

impl Sink for CouncilFiles {
    fn begin_month(&mut self, index: usize, date: NaiveDate) -> Result<()> {
        match phase(index) {
            Phase::YearExport if self.year.is_none() => {
                let path = self.dir.join(self.year_file_name()?);
                self.year = Some(CsvOut::create(path, YEAR_STYLE.headers)?);
            }
            Phase::YearExport => {}
            Phase::MonthlyCsv => {
                let path = self.dir.join(format!("workforce_{}.csv", year_month(date)));
                self.month = Some(CsvOut::create(path, MONTH_STYLE.headers)?);
            }
            Phase::MonthlyWorkbook => {
                let path = self
                    .dir
                    .join(format!("workforce_{}.xlsx", year_month(date)));
                self.workbook = Some(MonthWorkbook::new(path, date)?);
            }
        }
        Ok(())
    }

    fn row(&mut self, org: &Org, worker: &Worker, date: NaiveDate) -> Result<()> {
        let (file, style) = match (&mut self.year, &mut self.month, &mut self.workbook) {
            (_, _, Some(workbook)) => return workbook.write(org, worker, date),
            (_, Some(month), None) => (month, &MONTH_STYLE),
            (Some(year), None, None) => (year, &YEAR_STYLE),
            (None, None, None) => return Err(Error::RowBeforeMonth),
        };
        file.worker(style, org, worker, date)
    }

    fn end_month(&mut self, index: usize, _date: NaiveDate) -> Result<()> {
        let last_month = index + 1 == self.dates.len();
        let done = match phase(index) {
            Phase::YearExport if index + 1 == YEAR_FILE_MONTHS || last_month => {
                self.year.take().map(CsvOut::finish).transpose()?
            }
            Phase::YearExport => None,
            Phase::MonthlyCsv => self.month.take().map(CsvOut::finish).transpose()?,
            Phase::MonthlyWorkbook => self.workbook.take().map(MonthWorkbook::save).transpose()?,
        };
        self.files.extend(done);
        Ok(())
    }
}

// ----- the national file ------------------------------------------------------------

/// All months in one CSV, streamed as the simulation runs.
pub(crate) struct NationalFile {
    out: CsvOut,
}

impl NationalFile {
    pub(crate) fn create(path: PathBuf) -> Result<NationalFile> {
        Ok(NationalFile {
            out: CsvOut::create(path, NATIONAL_STYLE.headers)?,
        })
    }

    pub(crate) fn finish(self) -> Result<PathBuf> {
        self.out.finish()
    }
}

impl Sink for NationalFile {
    fn begin_month(&mut self, _index: usize, _date: NaiveDate) -> Result<()> {
        Ok(())
    }

    fn row(&mut self, org: &Org, worker: &Worker, date: NaiveDate) -> Result<()> {
        self.out.worker(&NATIONAL_STYLE, org, worker, date)
    }

    fn end_month(&mut self, _index: usize, _date: NaiveDate) -> Result<()> {
        Ok(())
    }
}

// ----- companion files --------------------------------------------------------------

pub(crate) fn write_leavers(path: PathBuf, org: &Org, leavers: &[LeaverRecord]) -> Result<PathBuf> {
    let mut out = CsvOut::create(path, &LEAVER_HEADERS)?;
    for leaver in leavers {
        out.field(&leaver.id)?;
        out.date(Some(leaver.date), DateStyle::Slash)?;
        out.formatted(|buf| push_hundredths(buf, u32::from(leaver.fte_pct), 2))?;
        out.field(org.team_name(leaver.team))?;
        out.field(employment_label(leaver.employment, false, Labels::Year))?;
        out.field(leaver.reason)?;
        out.end_record()?;
    }
    out.finish()
}

pub(crate) fn write_establishment(
    path: PathBuf,
    org: &Org,
    rows: &[EstablishmentRow],
) -> Result<PathBuf> {
    let mut out = CsvOut::create(path, &ESTABLISHMENT_HEADERS)?;
    for row in rows {
        out.field(org.team_name(row.team))?;
        out.field(org.service_name(row.team))?;
        out.formatted(|buf| buf.push_str(&format!("{:.1}", row.funded_fte)))?;
        out.date(Some(row.effective), DateStyle::Slash)?;
        out.end_record()?;
    }
    out.finish()
}

pub(crate) fn write_supervision_log(
    path: PathBuf,
    sessions: &[SupervisionSession],
) -> Result<PathBuf> {
    let mut out = CsvOut::create(path, &SUPERVISION_HEADERS)?;
    for session in sessions {
        out.field(&session.id)?;
        out.date(Some(session.date), DateStyle::Slash)?;
        out.end_record()?;
    }
    out.finish()
}

// ----- CSV plumbing -----------------------------------------------------------------

/// A CSV file being written, with one scratch buffer reused for every formatted field
/// so that millions of rows cost no allocations.
struct CsvOut {
    writer: csv::Writer<File>,
    scratch: String,
    path: PathBuf,
}

impl CsvOut {
    fn create(path: PathBuf, headers: &[&str]) -> Result<CsvOut> {
        let mut writer = csv::Writer::from_path(&path).map_err(error::create(&path))?;
        writer.write_record(headers).map_err(error::write(&path))?;
        Ok(CsvOut {
            writer,
            scratch: String::with_capacity(64),
            path,
        })
    }

    fn field(&mut self, value: &str) -> Result<()> {
        self.writer
            .write_field(value)
            .map_err(error::write(&self.path))
    }

    fn formatted(&mut self, fill: impl FnOnce(&mut String)) -> Result<()> {
        self.scratch.clear();
        fill(&mut self.scratch);
        self.writer
            .write_field(self.scratch.as_bytes())
            .map_err(error::write(&self.path))
    }

    fn date(&mut self, date: Option<NaiveDate>, style: DateStyle) -> Result<()> {
        self.formatted(|buf| {
            if let Some(date) = date {
                push_date(buf, date, style);
            }
        })
    }

    fn end_record(&mut self) -> Result<()> {
        self.writer
            .write_record(None::<&[u8]>)
            .map_err(error::write(&self.path))
    }

    fn finish(mut self) -> Result<PathBuf> {
        self.writer.flush().map_err(error::write(&self.path))?;
        Ok(self.path)
    }

    fn worker(
        &mut self,
        style: &CsvStyle,
        org: &Org,
        worker: &Worker,
        date: NaiveDate,
    ) -> Result<()> {
        let agency = worker.employment.is_agency();
        let leave = worker.recorded_leave();
        self.field(&worker.id)?;
        if style.names {
            let (first, last) = worker.full_name();
            self.formatted(|buf| {
                buf.push_str(first);
                buf.push(' ');
                buf.push_str(last);
            })?;
        }
        self.field(org.team_name(worker.team))?;
        self.field(org.service_name(worker.team))?;
        self.field(worker.role.label())?;
        let fte = u32::from(worker.fte_pct);
        if style.hours {
            self.formatted(|buf| push_hundredths(buf, fte * STANDARD_HOURS, 0))?;
        } else {
            self.formatted(|buf| push_hundredths(buf, fte, 2))?;
        }
        self.field(employment_label(
            worker.employment,
            worker.label_variant,
            style.labels,
        ))?;
        self.date(Some(worker.start), style.dates)?;
        self.date(Some(worker.qualified), style.dates)?;
        self.field(flag(Some(worker.asye()), style.short_flags))?;
        self.formatted(|buf| push_uint(buf, u32::from(worker.caseload), 1))?;
        self.date(worker.last_supervision(), style.dates)?;
        self.date(leave.map(|(date, _)| date), style.dates)?;
        self.field(leave.map_or("", |(_, reason)| reason))?;
        let rate = worker.day_rate.filter(|_| agency);
        self.formatted(|buf| {
            if let Some(rate) = rate {
                if style.pound {
                    buf.push('£');
                }
                push_uint(buf, u32::from(rate), 1);
                buf.push_str(".00");
            }
        })?;
        self.field(flag(worker.covering_vacancy.filter(|_| agency), false))?;
        self.date(Some(date), style.dates)?;
        self.end_record()
    }
}

// ----- workbooks --------------------------------------------------------------------

/// One month's staff-in-post workbook with typed cells: real dates, numbers, and the
/// person identifier as text so that its leading zeros survive.
struct MonthWorkbook {
    sheet: Worksheet,
    created: ExcelDateTime,
    path: PathBuf,
    row: u32,
    date_format: Format,
    money_format: Format,
}

impl MonthWorkbook {
    fn new(path: PathBuf, date: NaiveDate) -> Result<MonthWorkbook> {
        let mut sheet = Worksheet::new();
        sheet.set_name(WORKBOOK_SHEET)?;
        let bold = Format::new().set_bold();
        for (col, header) in (0..).zip(WORKBOOK_HEADERS) {
            sheet.write_string_with_format(0, col, header, &bold)?;
            sheet.set_column_width(col, column_width(header))?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(MonthWorkbook {
            sheet,
            // The extract's own date rather than "now", so reruns are byte-identical.
            created: excel_date(date)?,
            path,
            row: 1,
            date_format: Format::new().set_num_format("dd/mm/yyyy"),
            money_format: Format::new().set_num_format("£#,##0.00"),
        })
    }

    fn write(&mut self, org: &Org, worker: &Worker, date: NaiveDate) -> Result<()> {
        let row = self.row;
        let agency = worker.employment.is_agency();
        let leave = worker.recorded_leave();
        let (first, last) = worker.full_name();
        let sheet = &mut self.sheet;
        sheet.write_string(row, 0, worker.id.as_str())?;
        sheet.write_string(row, 1, format!("{first} {last}"))?;
        sheet.write_string(row, 2, org.team_name(worker.team))?;
        sheet.write_string(row, 3, org.service_name(worker.team))?;
        sheet.write_string(row, 4, worker.role.label())?;
        sheet.write_number(row, 5, worker.fte())?;
        let label = employment_label(worker.employment, worker.label_variant, Labels::Workbook);
        sheet.write_string(row, 6, label)?;
        let dates: [(ColNum, Option<NaiveDate>); 5] = [
            (7, Some(worker.start)),
            (8, Some(worker.qualified)),
            (11, worker.last_supervision()),
            (12, leave.map(|(d, _)| d)),
            (16, Some(date)),
        ];
        for (col, value) in dates {
            if let Some(value) = value {
                sheet.write_datetime_with_format(
                    row,
                    col,
                    excel_date(value)?,
                    &self.date_format,
                )?;
            }
        }
        sheet.write_string(row, 9, flag(Some(worker.asye()), true))?;
        sheet.write_number(row, 10, f64::from(worker.caseload))?;
        if let Some((_, reason)) = leave {
            sheet.write_string(row, 13, reason)?;
        }
        if let Some(rate) = worker.day_rate.filter(|_| agency) {
            sheet.write_number_with_format(row, 14, f64::from(rate), &self.money_format)?;
        }
        if let Some(covering) = worker.covering_vacancy.filter(|_| agency) {
            sheet.write_string(row, 15, flag(Some(covering), true))?;
        }
        self.row += 1;
        Ok(())
    }

    fn save(self) -> Result<PathBuf> {
        let mut workbook = Workbook::new();
        let properties = DocProperties::new()
            .set_title("Staff in post")
            .set_company("Brackenford Borough Council (fictional)")
            .set_creation_datetime(&self.created);
        workbook.set_properties(&properties);
        workbook.push_worksheet(self.sheet);
        workbook
            .save(&self.path)
            .map_err(error::write(&self.path))?;
        Ok(self.path)
    }
}

fn column_width(header: &str) -> f64 {
    match header {
        "Team" | "Role" | "Termination Reason" => 26.0,
        "Service" => 34.0,
        "Name" => 22.0,
        _ => (header.len() as f64 + 2.0).max(10.0),
    }
}

fn excel_date(date: NaiveDate) -> Result<ExcelDateTime> {
    let year = u16::try_from(date.year()).map_err(range("date before year 0"))?;
    let month = u8::try_from(date.month()).map_err(range("month out of range"))?;
    let day = u8::try_from(date.day()).map_err(range("day out of range"))?;
    Ok(ExcelDateTime::from_ymd(year, month, day)?)
}

// ----- value spellings --------------------------------------------------------------

fn employment_label(employment: Employment, variant: bool, labels: Labels) -> &'static str {
    use Employment::{Agency, FixedTerm, Permanent, Secondment};
    match (labels, employment, variant) {
        (Labels::Year, Permanent, true) => "Perm",
        (Labels::Year | Labels::Month, Permanent, _) => "Permanent",
        (Labels::Year, FixedTerm, _) => "Fixed Term",
        (Labels::Year | Labels::Workbook, Secondment, _) => "Secondment",
        (Labels::Year, Agency, true) => "Locum",
        (_, Agency, false) => "Agency",
        (Labels::Month, FixedTerm, _) => "Fixed-Term",
        (Labels::Month, Secondment, _) => "Seconded",
        (Labels::Month, Agency, true) => "Interim",
        (Labels::Workbook, Permanent, true) => "Established",
        (Labels::Workbook, Permanent, false) => "Permanent",
        (Labels::Workbook, FixedTerm, true) => "Temporary",
        (Labels::Workbook, FixedTerm, false) => "FTC",
        (Labels::Workbook, Agency, true) => "Contractor",
    }
}

fn flag(value: Option<bool>, short: bool) -> &'static str {
    match (value, short) {
        (None, _) => "",
        (Some(true), true) => "Y",
        (Some(false), true) => "N",
        (Some(true), false) => "Yes",
        (Some(false), false) => "No",
    }
}

pub(crate) fn year_month(date: NaiveDate) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

// ----- fast formatting --------------------------------------------------------------

fn push_uint(buf: &mut String, value: u32, min_digits: usize) {
    let mut digits = [0u8; 10];
    let mut len = 0;
    let mut rest = value;
    while len < digits.len() && (rest > 0 || len < min_digits.max(1)) {
        if let Some(slot) = digits.get_mut(len) {
            *slot = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        len += 1;
    }
    for &digit in digits.get(..len).unwrap_or(&[]).iter().rev() {
        buf.push(char::from(digit));
    }
}

/// A value held in hundredths, with at least `min_decimals` decimals and no trailing
/// zeros beyond them: 100 → "1.00" (2) or "1" (0); 2960 → "29.6".
fn push_hundredths(buf: &mut String, hundredths: u32, min_decimals: usize) {
    push_uint(buf, hundredths / 100, 1);
    let fraction = hundredths % 100;
    let decimals = if fraction == 0 {
        0
    } else if fraction.is_multiple_of(10) {
        1
    } else {
        2
    }
    .max(min_decimals);
    if decimals == 0 {
        return;
    }
    buf.push('.');
    push_uint(buf, fraction / 10, 1);
    if decimals == 2 {
        push_uint(buf, fraction % 10, 1);
    }
}

fn push_date(buf: &mut String, date: NaiveDate, style: DateStyle) {
    let year = u32::try_from(date.year()).unwrap_or(0);
    push_uint(buf, date.day(), 2);
    match style {
        DateStyle::Slash => {
            buf.push('/');
            push_uint(buf, date.month(), 2);
            buf.push('/');
        }
        DateStyle::Abbreviated => {
            buf.push('-');
            let name = MONTH_ABBREVIATIONS.get(date.month0() as usize);
            buf.push_str(name.copied().unwrap_or("???"));
            buf.push('-');
        }
    }
    push_uint(buf, year, 4);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(fill: impl FnOnce(&mut String)) -> String {
        let mut buf = String::new();
        fill(&mut buf);
        buf
    }

    #[test]
    fn dates_are_written_the_uk_way() {
        let date = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap_or_default();
        assert_eq!(text(|b| push_date(b, date, DateStyle::Slash)), "01/03/2024");
        assert_eq!(
            text(|b| push_date(b, date, DateStyle::Abbreviated)),
            "01-Mar-2024"
        );
    }

    #[test]
    fn fte_and_hours_print_exactly() {
        assert_eq!(text(|b| push_hundredths(b, 100, 2)), "1.00");
        assert_eq!(text(|b| push_hundredths(b, 80, 2)), "0.80");
        assert_eq!(text(|b| push_hundredths(b, 100 * 37, 0)), "37");
        assert_eq!(text(|b| push_hundredths(b, 80 * 37, 0)), "29.6");
        assert_eq!(text(|b| push_hundredths(b, 60 * 37, 0)), "22.2");
        assert_eq!(text(|b| push_hundredths(b, 50 * 37, 0)), "18.5");
        assert_eq!(text(|b| push_uint(b, 0, 1)), "0");
        assert_eq!(text(|b| push_uint(b, 450, 1)), "450");
    }
}
