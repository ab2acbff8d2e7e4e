"""Prose content (mini-markup) for the .docx and .pdf files of the Kestrelford corpus.

Markup, one block per line group:
  '# '  title, '## ' heading, '### ' sub-heading
  '- '  bullet item, '1. ' numbered item (number kept as written)
  '|'   table row (first row of a table is the header)
  blank line separates paragraphs
"""

PERMITS_GUIDE = """
# Guide to Minor Works and Other Permits
Kestrelford Town Council. Issue 3, January 2026.

This guide explains the four permits that Kestrelford Town Council issues for activities on land that it owns or manages: the Minor Works Permit, the Skip and Scaffold Permit, the Temporary Event Permit and the Pavement Cafe Licence. It tells you when you need each one, how to apply, what it costs and how long a decision takes.

A permit from the Town Council is not the same as planning permission or building regulations approval, which are dealt with by Wexmoor District Council. Works on the public highway, such as dropped kerbs or skips on a road, are licensed by Wexmoor County Council Highways. You may need more than one permission for the same project, and it is your responsibility to get all of them.

## 1. The four permits at a glance

|Permit|Typical use|Fee|Decision within|Valid for|
|Minor Works Permit|Small building or landscaping works on or next to Council land|£85|15 working days|3 months from issue|
|Skip and Scaffold Permit|A skip or scaffold on a Council car park, square or verge|£40 per skip (14 days); £65 per scaffold (28 days)|5 working days|14 days (skip) or 28 days (scaffold)|
|Temporary Event Permit|Fairs, concerts, sports events and other gatherings in the parks or squares|£120 (up to 499 people); £350 (500 to 4,999); £900 (5,000 or more)|20 working days|The dates of the event|
|Pavement Cafe Licence|Tables and chairs outside a cafe, bar or restaurant|£215 (new); £180 (renewal)|28 days|12 months|

## 2. Definitions

In this guide:

A "minor works permit" means written permission from the Council to carry out small-scale works on, over or under land owned or managed by the Council, where the works will cost less than £10,000 and will be completed within 10 working days.

"Council land" means any land owned or managed by Kestrelford Town Council, including the parks, the allotment sites, the cemeteries, Market Row, Station Square, the Council's car parks and the grass verges listed in the Council's asset register.

A "temporary event" means any organised gathering on Council land that is expected to attract 30 or more people, or that involves structures, amplified sound or the sale of food or alcohol, and that lasts no longer than 4 consecutive days.

A "pavement cafe" means an area of tables and chairs placed on a Council-owned footway or square outside a cafe, bar or restaurant, for the use of its customers.

A "working day" means any day from Monday to Friday, except bank holidays and the days between Christmas and New Year when the Guildhall is closed.

The "event organiser" means the person named on a Temporary Event Permit application, who must be aged 18 or over and who is responsible for the event from the start of setting up until the site has been cleared.

## 3. Minor Works Permit

### 3.1 When you need one

You need a Minor Works Permit if you want to do any of the following on, over or under Council land:

- install, replace or repair a fence, gate or wall on the boundary between your property and a park, allotment site or cemetery;
- lay a temporary access track across a Council verge to bring materials or machinery to your property;
- dig a trench across Council land to lay a private drain, water pipe or cable;
- put up a temporary hoarding on Council land;
- prune or cut back a Council tree that overhangs your property, beyond your own boundary.

Works costing £10,000 or more, or lasting longer than 10 working days, need a formal licence agreement with the Council instead. Contact the Planning Liaison Officer to discuss a licence.

### 3.2 The five steps to apply for a Minor Works Permit

1. Check that your works qualify: they must cost less than £10,000, be completed within 10 working days, and either not need planning permission or already have it.
2. Ask the Planning Liaison Officer for free pre-application advice. This step is optional but is strongly recommended, because most refusals are for works that could have been changed slightly to make them acceptable.
3. Complete application form MW1, attaching a site plan at a scale of 1:500 or 1:1250, a description of the works, the proposed dates and the contractor's details.
4. Pay the fee of £85.
5. When the permit is issued, display it at the site, where it can be read from the nearest path or road, for the whole time the works are taking place.

The Council will decide your application within 15 working days of receiving a complete application. The permit is valid for 3 months from the date of issue; if the works have not started by then, you must apply again.

### 3.3 Conditions

- The land must be restored to its original condition within 5 working days of the end of the works.
- Works within 5 metres of a Council tree need a tree protection plan approved by the Parks and Open Spaces Manager, because tree roots spread well beyond the branches and are easily damaged by digging and by heavy machinery.
- Your contractor must hold public liability insurance of at least £5 million.
- Materials must not be stored on Council land overnight unless the permit allows it.

### 3.4 Why there is a fee

The fee is charged because an officer visits the site twice for every permit: once before the works, to record the condition of the land, and once afterwards, to check that it has been properly restored. The fee covers the cost of those visits and of processing the application.

### 3.5 If your application is refused

You will be told the reasons in writing. You may ask the Planning and Environment Committee to review the decision by writing to the Town Clerk within 28 days.

## 4. Skip and Scaffold Permit

### 4.1 When you need one

You need a Skip and Scaffold Permit to place a skip or put up a scaffold on a Council car park, on Market Row or Station Square, or on a Council verge. A skip or scaffold on a public road or pavement needs a licence from Wexmoor County Council Highways instead.

### 4.2 Fees and duration

A skip permit costs £40 and lasts 14 days. A scaffold permit costs £65 and lasts 28 days. Either can be renewed for the same period at the same fee. A skip or scaffold left in place after its permit has expired is charged at £25 for each extra day.

Applications are normally made by the skip hire or scaffolding company on behalf of the householder. The Council will decide an application within 5 working days.

### 4.3 Conditions

- Every skip must show the name and telephone number of the skip company.
- Skips must be lit at night with at least four amber lamps, one at each corner.
- Skips and scaffolds must not be placed within 10 metres of a road junction, or in front of a fire hydrant or a dropped kerb.
- The skip or scaffolding company must hold public liability insurance of at least £5 million.
- Skips must not be filled above the level of their sides, and must be covered when not being loaded.

## 5. Temporary Event Permit

### 5.1 When you need one

You need a Temporary Event Permit for any temporary event on Council land. This includes fun runs, fetes, outdoor concerts, open-air cinema, charity walks that start or finish in a park, and commercial activities such as funfairs. A private gathering of fewer than 30 people, such as a family picnic or a children's birthday party, does not need a permit as long as it has no structures other than small gazebos, no amplified sound and no sales.

### 5.2 When to apply

Apply at least 8 weeks before the event. For events expected to attract 500 or more people, apply at least 12 weeks before; for events of 5,000 or more people, apply at least 16 weeks before. The reason for the longer notice for large events is that the Council must refer them to the Wexmoor Safety Advisory Group, which includes the police, the fire and rescue service and the ambulance service, and the group meets only once a month.

### 5.3 Fees and deposits

|Expected attendance|Fee|Refundable damage deposit|
|Up to 499 people|£120|£250|
|500 to 4,999 people|£350|£1,000|
|5,000 people or more|£900|£2,500|

Registered charities pay half the fee, but the full deposit. The deposit is returned within 20 working days of the event, less the cost of putting right any damage to grass, paths or fixtures.

### 5.4 What to send with your application

- an event management plan, describing the event, the timetable and who is responsible for what;
- a risk assessment;
- a site plan showing all structures, stalls, generators, toilets and emergency vehicle routes;
- a copy of your public liability insurance certificate, showing cover of at least £5 million (at least £10 million for events of 5,000 or more people);
- details of first aid cover;
- a waste and recycling plan.

If alcohol will be sold, you will also need a Temporary Event Notice from Wexmoor District Council. If a road needs to be closed, you will need a road closure order from Wexmoor County Council.

### 5.5 Decision

The Events and Community Officer will decide your application within 20 working days of receiving a complete application, or within 10 working days of the meeting of the Safety Advisory Group if your event is referred to it.

## 6. Pavement Cafe Licence

### 6.1 Fees

A new Pavement Cafe Licence costs £215 and lasts 12 months. A renewal costs £180, provided that the application is made before the old licence expires and the layout is not changing.

### 6.2 How to apply

1. Complete application form PC1.
2. Attach a plan showing the area to be used, the position of every table and chair, and the width of footway that will be left clear.
3. Attach photographs or catalogue pictures of the furniture, barriers and any heaters.
4. Attach your public liability insurance certificate, showing cover of at least £5 million.
5. On the day you apply, display the Council's notice of application in the window of your premises, where it can be read from the street, and keep it there for 14 days.

Anyone may comment on your application during the 14-day consultation period. The Council will decide your application within 28 days of receiving it, including the consultation period.

### 6.3 Conditions

- A clear footway at least 1.8 metres wide must be kept free of furniture and customers at all times, so that wheelchair users and people with pushchairs can pass.
- Furniture may be put out no earlier than 8.00am and must be taken inside by 10.00pm every day.
- At least half of the tables must be smoke-free and marked as such.
- Barriers must have a solid rail at a height that can be detected by a person using a long cane.

Furniture must be taken in every night for two reasons: the street cleansing crews clean Market Row and Station Square overnight with mechanical sweepers, and furniture stacked outside has in the past been used to climb into first-floor windows.

## 7. Who to contact

|Permit|Contact|Telephone|Email|
|Minor Works Permit|Rufus Achebe, Planning Liaison Officer|01632 960150|planning@kestrelford-tc.example|
|Skip and Scaffold Permit|Customer Services|01632 960100|enquiries@kestrelford-tc.example|
|Temporary Event Permit|Tamsin Crowe, Events and Community Officer|01632 960100 (ask for Events)|events@kestrelford-tc.example|
|Pavement Cafe Licence|Neville Ashdown, Licensing Officer|01632 960160|licensing@kestrelford-tc.example|
"""

FINANCE_MINUTES = """
# Finance and Resources Committee - Minutes
Kestrelford Town Council. Meeting held on Tuesday 3 February 2026 at 6.30pm in the Committee Room, the Guildhall.

Present: Cllr Hugh Penberthy (Chair), Cllr Sinead Corrigan (Vice-Chair), Cllr Marcus Fenwick-Hale, Cllr Walter Quicke.

In attendance: Helena Strand (Town Clerk), Gwen Tallis (Finance Officer). No members of the public were present.

## FR/26/08 Apologies
Apologies were received from Cllr Joan Pettifer. The meeting was quorate.

## FR/26/09 Declarations of interest
There were no declarations of interest.

## FR/26/10 Minutes
The minutes of the meeting held on 6 January 2026 were approved as a correct record.

## FR/26/11 Budget monitoring to 31 December 2025
The Finance Officer reported that at the end of the third quarter of 2025-26, expenditure stood at 74.2% of the annual budget. The forecast outturn for the year is an underspend of £18,300, mainly because fuel for the waste collection vehicles has cost less than budgeted and a gardener post at Millrace Park was vacant for four months.
RESOLVED that the report be noted.

## FR/26/12 Bank reconciliation
The Committee reviewed the bank reconciliation at 31 December 2025, which had been checked and signed by Cllr Quicke.

|Account|Balance at 31 December 2025|
|Current account|£84,512.37|
|Business deposit account|£412,000.00|
|Public sector deposit fund|£250,000.00|
|Total|£746,512.37|

RESOLVED that the reconciliation be approved.

## FR/26/13 Major Grants, round closing 30 November 2025
The Committee considered seven applications for Major Grants. The budget remaining for Major Grants in 2025-26 was £24,000.

|Organisation|Project|Amount requested|Amount awarded|
|Kestrelford Rivers Trust|Fennick Brook bank restoration|£5,000|£4,500|
|Hollins Green Cricket Club|Junior coaching equipment|£2,400|£2,400|
|Kestrelford Players|Stage lighting upgrade|£4,800|£3,000|
|Southfields Community Larder|Chest freezer and shelving|£1,850|£1,850|
|Castle Ward Residents' Association|Christmas lights for Castle Hill|£3,500|£0|
|Wexmoor Wheelers|Two adapted tricycles for disabled riders|£4,200|£4,200|
|Kestrelford Youth Brass Band|Instrument repairs|£2,750|£2,000|

The application from the Castle Ward Residents' Association was refused because Christmas lights are already paid for from the Council's Community and Events budget, and the scheme does not fund activities that the Council already provides. The award to the Kestrelford Players was reduced because the group had not obtained the 25% match funding required for the full amount.
RESOLVED that Major Grants totalling £17,950 be awarded as shown above.

## FR/26/14 Internal auditor
The Committee considered two quotations for internal audit services for the three years 2025-26 to 2027-28: Hartwell Audit Partnership at £1,950 a year, and Linden Accountancy at £2,300 a year.
RESOLVED that Hartwell Audit Partnership be appointed as internal auditor for 2025-26 to 2027-28 at a fee of £1,950 a year.

## FR/26/15 Insurance
The Town Clerk reported that the Council's insurance renews on 1 April 2026. Civic Mutual Insurance has offered a premium of £23,870 for 2026-27 on a three-year long-term agreement, compared with £22,940 in 2025-26.
RESOLVED that the insurance be renewed with Civic Mutual Insurance on a three-year long-term agreement.

## FR/26/16 Staffing: Finance Assistant
The Town Clerk reported that the number of financial transactions had grown by about 40% in two years, mainly because of garden waste subscriptions and hall bookings.
RESOLVED that a permanent part-time post of Finance Assistant (22.5 hours a week) be created, and that the post be advertised from 6 February 2026 with a closing date of 27 February 2026.

## FR/26/17 Hall hire charges
RESOLVED that, from 1 April 2026, the resident hourly rate for the Corn Exchange Main Hall be increased from £36 to £38, and the commercial rate from £58 to £62.

## FR/26/18 Date of next meeting
Tuesday 3 March 2026 at 6.30pm.

The meeting closed at 8.05pm.
"""

GRANTS_SCHEME = """
# Community Grants Scheme 2026-27
Kestrelford Town Council. Guidance for applicants.

## 1. About the scheme
Kestrelford Town Council gives grants to local voluntary and community groups for projects and activities that benefit people who live in Kestrelford. The total budget for community grants in 2026-27 is £65,000.

There are two types of grant:

|Grant|Amount|When to apply|Who decides|Decision|
|Small Grant|Up to £1,000|At any time|Town Clerk, with the Chair of the Finance and Resources Committee|Within 20 working days|
|Major Grant|£1,001 to £5,000|Two rounds a year, closing 31 May and 30 November|Finance and Resources Committee|At the committee meeting in July (May round) or February (November round)|

An organisation may receive only one grant, small or major, in any financial year (1 April to 31 March).

## 2. Definitions
A "constituted group" means a group that has a written constitution or set of rules, a management committee of at least three people who are not related to each other and do not live at the same address, and a bank account that needs two signatories for each payment.

"Match funding" means money or in-kind support for the same project from a source other than the Town Council, such as another grant, the group's own funds or the value of volunteer time.

## 3. Who can apply
The following may apply, provided that they are based in Kestrelford or that the project mainly benefits Kestrelford residents:

- constituted voluntary and community groups;
- registered charities;
- community interest companies;
- parent-teacher associations and friends' groups of local schools, for activities outside the school curriculum;
- sports clubs that are open to all, with membership fees that most people can afford.

## 4. What we will not fund
- individuals, or businesses run for private profit;
- political parties or campaigning;
- religious worship (but faith groups may apply for community activities that are open to everyone);
- costs that have already been paid before the grant is decided;
- fundraising for other organisations or charities;
- projects that mainly benefit people outside Kestrelford;
- activities that the Town Council already provides or pays for, such as the Christmas lights or the River Festival;
- core salaries, except under a Major Grant for a post that is part of a new project.

## 5. Match funding for Major Grants
Applicants for a Major Grant must show match funding of at least 25% of the total cost of the project. We ask for match funding because it shows that there is support for the project in the community, and it allows the grants budget to help more groups each year. Volunteer time may be counted at £15 an hour. Small Grants do not need match funding.

## 6. How to apply
1. Read this guidance and check that your group and your project are eligible.
2. Contact the Events and Community Officer, Tamsin Crowe, if you would like to talk about your idea before applying.
3. Complete the application form for a Small Grant or a Major Grant.
4. Attach your constitution or rules, your most recent annual accounts or, for new groups, a bank statement, and at least one quotation for any item costing more than £500 (two quotations for items costing more than £2,000).
5. Email the form and attachments to grants@kestrelford-tc.example, or hand them in at the Guildhall reception, by the closing date for Major Grants.

## 7. How applications are assessed
Applications are scored out of 20 against four criteria, each worth up to 5 points:

- need: the evidence that the project is needed;
- benefit: how many local people will benefit, and how;
- value for money: whether the costs are reasonable;
- sustainability: what will happen when the grant has been spent.

Applications scoring below 10 points are not funded.

## 8. If your application is successful
- You must spend the grant within 12 months of the award, on the project described in your application.
- You must send the Council a short report on what the grant achieved, with copies of receipts, within 3 months of the end of the project.
- You must acknowledge the Town Council's support in your publicity, for example by using the Council's logo.
- Any grant not spent on the project must be returned to the Council.

## 9. Contact
Tamsin Crowe, Events and Community Officer. Email grants@kestrelford-tc.example.
"""

STANDING_ORDERS = """
# Standing Orders and Committee Terms of Reference
Kestrelford Town Council. Adopted at the Annual Meeting of the Council on 20 May 2025.

These standing orders are the rules that govern how the Town Council and its committees hold meetings and make decisions. Every councillor agrees to follow them when they sign the declaration of acceptance of office. Members of the public who attend meetings are also expected to follow the rules that apply to them.

## 1. Meetings of the Full Council

1.1 The Full Council has 13 members. It meets on the third Tuesday of January, March, May, July, September and November at 7.00pm, in the Council Chamber at the Guildhall, unless the Council decides otherwise.

1.2 The meeting in May is the Annual Meeting of the Council. At the Annual Meeting the Council first elects its Chair and Vice-Chair for the coming year, then appoints the members of its committees and its representatives on outside bodies.

1.3 The Chair of the Council is elected for one year. A councillor may not serve as Chair for more than three consecutive years.

1.4 An extraordinary meeting may be called at any time by the Chair, or by any two councillors if the Chair has refused to call one or has not called one within 7 days of being asked.

1.5 The quorum of the Full Council is five councillors. If a quorum is not present within 15 minutes of the start time, the meeting is adjourned to a date chosen by the Chair.

1.6 No meeting may continue after 10.00pm, unless the councillors present vote by a majority to continue for a further period of no more than 30 minutes.

## 2. Notice of meetings and agendas

2.1 The Town Clerk sends every councillor a summons, with the agenda, at least three clear days before a meeting of the Full Council or of a committee. The agenda is also displayed on the noticeboard outside the Guildhall and published on the Council's website.

2.2 "Three clear days" means three days not counting the day on which the summons is sent, the day of the meeting, Sundays, bank holidays, Christmas Eve and Good Friday. For example, for a meeting on a Tuesday, the summons must be sent by the Thursday before.

2.3 Only business that is on the agenda may be decided at a meeting.

## 3. Public participation

3.1 At each meeting of the Full Council and its committees, up to 15 minutes is set aside near the start of the meeting for members of the public to speak or ask questions about matters on the agenda, or about any other matter relating to the Council's work.

3.2 Each member of the public may speak for up to 3 minutes. A person who wishes to speak should tell the Town Clerk by 12 noon on the day of the meeting, giving their name and the subject.

3.3 Members of the public may not take part in the rest of the meeting unless the Chair invites them to do so.

3.4 The period for public participation is not extended if more people wish to speak. The Chair may instead ask people with similar views to choose one or two speakers, so that a range of views can be heard.

## 4. Motions

4.1 A councillor who wishes to propose a motion that is not already on the agenda must deliver it in writing to the Town Clerk at least 7 clear days before the meeting, so that it can be included in the summons.

4.2 A motion must relate to the Council's responsibilities or to matters that affect Kestrelford.

4.3 A resolution may not be reversed within six months unless a notice of motion to do so is signed by at least five councillors.

## 5. Voting

5.1 Decisions are made by a majority of the councillors present and voting, by a show of hands.

5.2 If the votes are equal, the Chair of the meeting has a second, casting vote. The Chair does not have to use the casting vote, and may use it in any way.

5.3 If any two councillors ask, before a vote is taken, for the names of those voting for and against to be recorded, the Town Clerk records them in the minutes.

5.4 The person presiding at the annual meeting has a casting vote in the election of the Chair of the Council.

## 6. Declarations of interest

6.1 A councillor who has a disclosable pecuniary interest in any item of business must declare it, must not take part in the discussion or vote, and must leave the room for that item, unless they have been given a dispensation.

6.2 A councillor may ask the Town Clerk in writing for a dispensation. The Town Clerk may grant a dispensation for a period of up to four years, for example where so many councillors have an interest that the business could not otherwise be decided.

6.3 Councillors must keep their register of interests up to date, and must tell the Town Clerk about any change within 28 days.

## 7. Committees

7.1 The Council has two standing committees: the Planning and Environment Committee and the Finance and Resources Committee. Each committee elects its own Chair and Vice-Chair at its first meeting after the Annual Meeting of the Council.

### The Planning and Environment Committee

7.2 The Planning and Environment Committee has 7 members. Its quorum is 4 members. It meets on the second Wednesday of each month at 7.00pm.

7.3 The Committee:

- responds on behalf of the Council to planning applications referred by Wexmoor District Council;
- responds to consultations on the Wexmoor Local Plan and on highways and transport matters;
- oversees the Council's trees, including decisions to fell trees in the parks and cemeteries;
- oversees waste and recycling policy and the recycling performance of the service;
- oversees the management plans for the three parks and for Fennick Meadows Local Nature Reserve;
- monitors the Council's climate action plan.

7.4 Because planning applications must be answered within 21 days, the Committee may respond to planning consultations on behalf of the Council without referring them to the Full Council.

### The Finance and Resources Committee

7.5 The Finance and Resources Committee has 5 members. Its quorum is 3 members. It meets on the first Tuesday of each month except August, at 6.30pm.

7.6 The Committee:

- prepares the draft budget each year and recommends the budget and precept to the Full Council;
- monitors income and expenditure against the budget every quarter;
- sets the Council's fees and charges;
- decides Major Grants under the Community Grants Scheme;
- oversees the Council's buildings, land and other assets, and its insurance;
- oversees staffing matters, through its Staffing Sub-Committee;
- hears appeals under the Street Trading Policy.

7.7 The Staffing Sub-Committee has 3 members, all drawn from the Finance and Resources Committee. It carries out the annual appraisal of the Town Clerk and hears staff grievances and disciplinary appeals. Its meetings are held in private.

7.8 The Council may set up working groups of councillors and residents to look at a particular subject, such as the River Festival or the climate action plan. Working groups may make recommendations but cannot make decisions or spend money.

7.9 A councillor who is not a member of a committee may attend its meetings and, with the consent of the chair of that committee, may speak, but may not vote.

## 7A. The Chair of the Council

7A.1 The Chair of the Council presides at meetings of the Full Council. In the absence of the Chair, the Vice-Chair presides. If both are absent, the councillors present elect one of their number to preside for that meeting.

7A.2 The Chair represents the Council at civic events and may be asked to open events and present awards. The Chair receives an allowance of £1,500 a year towards the cost of these duties.

7A.3 The Chair does not have any power to make decisions on behalf of the Council outside a meeting, except in an emergency as set out in standing order 8.4.

## 8. Financial limits

8.1 The Town Clerk may authorise spending of up to £5,000 on any one item, provided that it is within the approved budget.

8.2 Spending of more than £5,000 and up to £25,000 on any one item must be approved by the Finance and Resources Committee, and at least three written quotations must be obtained first.

8.3 Spending of more than £25,000 on any one item must be approved by the Full Council, after a formal tender.

8.4 In an emergency, such as a dangerous tree or flooding of a Council building, the Town Clerk may authorise spending of up to £10,000 with the agreement of the Chair of the Council, and must report it to the next meeting of the Finance and Resources Committee.

## 9. Recording and reporting of meetings

9.1 Anyone may film, photograph, audio-record or report on the public parts of any meeting, including on social media, provided that they do not disrupt the meeting.

9.2 Members of the public who speak at a meeting and do not wish to be filmed should tell the Chair, who will ask that they are not filmed.

9.3 Filming is not allowed during any part of a meeting from which the public has been excluded.

## 10. Conduct at meetings

10.1 Councillors must follow the Council's Code of Conduct.

10.2 If a member of the public interrupts the meeting, the Chair will warn them. If they continue, the Chair may ask them to leave, and may adjourn the meeting until order is restored.

## 11. Review

11.1 The Council reviews these standing orders every year at the Annual Meeting. A standing order may be suspended at a meeting only by a resolution of two-thirds of the councillors present, and never where it reflects a legal requirement.
"""

ANNUAL_REPORT = """
# Annual Report 2025
Kestrelford Town Council. A look back at the year from January to December 2025. Published March 2026.

## Foreword from the Chair of the Council
It has been a privilege to chair the Council during such a busy year. In 2025 we planted more trees than in any year before, welcomed a record crowd to the Kestrelford River Festival and prepared for the biggest change to our bin collections for a decade. None of this would have been possible without our staff, our volunteers and the hundreds of residents who took part in our consultations. Thank you all. Cllr Beatrice Ollerenshaw, Chair of Kestrelford Town Council.

## The Council at a glance

|Measure|2025|
|Councillors|13|
|Wards|4|
|Staff (headcount)|28|
|Staff (full-time equivalent)|24.6|
|Gross budgeted expenditure 2025-26|£1,624,400|
|Band D precept 2025-26|£140.93|
|Meetings held (Full Council and committees)|31|

## Parks and open spaces
Millrace Park received the Green Flag Award for the fifth year in a row, in recognition of its well-kept gardens and its volunteer programme. The judges singled out the Rose Garden and the new lighting along the Riverside Path.

The splash pad at Millrace Park opened on 26 May and closed on 7 September, and was used by an estimated 31,000 children and carers. It was closed on 9 days because of the weather or water quality checks.

At Hollins Green, the multi-use games area was booked for 1,964 hours, up from 1,612 hours in 2024. The new barbecue area next to the pavilion, created under the 2024 parks bylaw, was used on 87 days.

At Fennick Meadows, the Friends of Fennick Meadows and other volunteers gave 3,460 hours of their time, cutting and raking the meadows, laying hedges and surveying butterflies. The breeding bird survey recorded 11 pairs of skylarks, compared with 7 pairs in 2023, the year before the longer dogs-on-leads season was introduced.

In total, 1,240 trees were planted across the three parks and the cemeteries during the 2024-25 planting season, most of them as young whips in a new woodland strip along the northern edge of Fennick Meadows.

## Waste and recycling
Our crews made about 1.9 million bin collections during the year. The household recycling rate rose to 51.6%, from 49.8% in 2024. The amount of rubbish in black bins fell to 412 kilograms per household.

We carried out 1,318 bulky waste collections, and the garden waste service had 6,905 subscribers at the end of the season.

Much of the year's work went into preparing for weekly food waste collections, which start in April 2026. The Council bought four new food waste vehicles, funded by a government grant, and ordered 11,000 sets of caddies.

## Community, events and grants
The Kestrelford River Festival on 12 and 13 July attracted about 8,500 visitors, the highest number since the festival began in 1994. It was supported by 63 volunteers.

We awarded £58,400 in community grants to 31 local groups. They included a grant to the volunteer-run Kestrelford Museum for a new display on the history of the town's wool trade, and a grant to Southfields Community Larder, which now provides food to around 120 households each week.

The Council also worked with Wexmoor Leisure Trust, which runs Kestrelford Leisure Centre, on plans for new changing rooms at the Hollins Green Pavilion, so that teams using the pitches no longer need to change at the leisure centre.

## Cemeteries
There were 94 burials and 61 interments of cremated remains at Ashgrove Cemetery during the year. The new woodland burial section at Ashgrove, opened in April 2025, received its first 12 burials. Restoration of the chapel roof at Old Road Cemetery, which is a listed building, was completed in October with help from a heritage grant.

## Allotments
All 86 plots on our three allotment sites were let throughout the year. At the end of 2025 there were 137 people on the waiting list, and the average wait for a plot was 14 months. Starter plots, introduced in 2024, have helped: 9 of the 11 new tenants who started on a starter plot in 2024 moved to a larger plot in 2025.

## Planning
The Planning and Environment Committee commented on 188 planning applications. In 81% of cases the final decision of Wexmoor District Council matched the view of the Town Council.

## Customer service and complaints
Customer Services handled 14,260 phone calls and 9,870 emails. We received 23 formal complaints, 21 of which were resolved at the first stage. The most common subject of complaints was missed bin collections.

## Climate action
The Council's climate action plan, adopted in 2023, aims to make the Council's own operations carbon neutral by 2035. In 2025 we replaced the gas boiler at the Guildhall with an air source heat pump, fitted solar panels to the roof of the Millrace Park depot and replaced two of our diesel vans with electric vans. Electricity use at the Guildhall fell by 18% after LED lighting was installed. Emissions from the Council's own buildings and vehicles were 14% lower than in 2024.

## Our staff
At the end of 2025 the Council employed 28 people. The largest team is the waste and street cleansing team, with 12 staff, followed by the parks team with 7 (the Parks and Open Spaces Manager, the three park keepers and three gardeners). Two members of staff completed apprenticeships during the year: one in horticulture and one in business administration. Staff turnover was 7%, and the average number of days lost to sickness was 5.2 days per employee.

We said goodbye to our long-serving Cemetery Registrar, Arthur Penhallow, who retired in June after 26 years with the Council, and welcomed Maureen Gilchrist as his successor.

## Finance
The figures below are the actual figures for the financial year 2024-25 (1 April 2024 to 31 March 2025), as shown in the audited annual return.

|Item|2024-25 actual|
|Precept income|£1,268,400|
|Other income (fees, charges and grants)|£268,950|
|Total income|£1,537,350|
|Total expenditure|£1,521,880|
|Surplus for the year|£15,470|
|General reserve at 31 March 2025|£412,600|
|Earmarked reserves at 31 March 2025|£286,000|

The general reserve at 31 March 2025 was equal to just over three months' expenditure, which is the minimum level set in the Council's reserves policy.

## Looking ahead to 2026
- Weekly food waste collections will start on 6 April 2026, and black bins will be collected every three weeks.
- A public consultation on town centre parking will run from 2 March to 12 April 2026.
- The adventure play area at Millrace Park will be refurbished.
- Subject to a grant from the Wexmoor Sports Foundation, work will start on new changing rooms at the Hollins Green Pavilion.
- 42 new trees will be planted at Fennick Meadows to replace ash trees lost to ash dieback.
"""

CEMETERY_REGS = """
# Cemetery Regulations
Kestrelford Town Council. Applying to Ashgrove Cemetery and Old Road Cemetery. Effective from 1 April 2025.

## 1. The cemeteries
Kestrelford Town Council manages two cemeteries.

Ashgrove Cemetery, Ashgrove Road, opened in 1962 and covers about 6.5 hectares. It has four sections: the Traditional section, the Lawn section, the Woodland burial section (opened in April 2025) and the Garden of Remembrance for cremated remains. Ashgrove is the only cemetery in Kestrelford where new graves are available.

Old Road Cemetery, Old Road, opened in 1871 and has been closed to new burials since 1998. Burials there are allowed only in existing graves where the exclusive right of burial is still valid and there is space in the grave. The cemetery chapel is a listed building. Old Road Cemetery is open every day from 9.00am to 4.00pm.

The Cemetery Registrar, Maureen Gilchrist, is responsible for both cemeteries. The cemetery office is at the Ashgrove Road entrance.

## 2. Definitions
A "resident" means a person who, at the time of their death, lived in the parish of Kestrelford, or who had lived in the parish for at least 10 years and moved away only to receive care in a hospital, care home or relative's home.

The "exclusive right of burial" means the right, bought from the Council, to decide who may be buried in a particular grave, and to place a memorial on it. It does not mean ownership of the land.

A "memorial" means any headstone, tablet, vase, kerb or other object placed on or at a grave.

## 3. Exclusive right of burial
3.1 The exclusive right of burial is granted for 50 years. It may be renewed for a further 25 years at the fee in force at the time of renewal.

3.2 The right may be bought in advance of need for a grave in the Lawn or Traditional section at Ashgrove. It cannot be bought in advance for the Woodland burial section.

3.3 When the owner of a right dies, the right can be transferred to another person by completing a statutory declaration and paying the transfer fee.

## 4. Fees
Fees are set each year by the Finance and Resources Committee and are listed in the Council's Fees and Charges schedule. Non-residents pay double the resident fee, except for administrative fees (transfer of grave deeds and searches of records) and the Saturday surcharge, which are the same for everyone. No interment fee is charged for a child under 18.

## 5. Arranging a burial
5.1 Burials are normally arranged through a funeral director, who must contact the Registrar at least 3 working days before the proposed date.

5.2 Burials take place from Monday to Friday between 9.30am and 3.30pm. Burials on a Saturday morning are possible by arrangement, for an additional charge. There are no burials on Sundays or bank holidays, except where required for religious reasons.

5.3 The Registrar must receive the certificate for burial from the registrar of births and deaths, or a coroner's order, before the burial can take place.

## 6. Memorials
6.1 No memorial may be placed on any grave without a memorial permit from the Council. Applications must be made by a memorial mason on the Council's approved list, and must include a drawing of the memorial with its dimensions and the proposed inscription.

6.2 Memorials must not be placed until at least 6 months after a burial, to allow the ground to settle.

6.3 Size limits:

|Section|Maximum height|Maximum width|Other rules|
|Traditional section|1.2 metres|0.9 metres|Kerbs allowed|
|Lawn section|0.9 metres|0.75 metres|Headstone only; no kerbs, chippings or edging|
|Woodland burial section|No memorials|No memorials|A small oak plaque supplied by the Council|
|Garden of Remembrance|0.45 metres|0.45 metres|Flat tablets only|

6.4 In the Lawn section only a headstone is allowed, with no kerbs or edging, because the graves are mown by machine and kerbs and loose objects make mowing slow and can be dangerous when stones are thrown up by the mower.

6.5 No memorials are allowed in the Woodland burial section because the aim is for the section to become natural woodland over time. Families may choose a native tree to be planted near the grave instead.

6.6 Every memorial is inspected for safety every five years. A memorial found to be unsafe may be laid flat, and the owner of the exclusive right will be asked to have it repaired.

## 7. Flowers and grave items
7.1 Fresh flowers from a funeral are removed by cemetery staff 14 days after the burial.

7.2 In the Lawn section, flowers may be placed in the vase on the headstone base. Other items placed on the grass, such as ornaments, lanterns and solar lights, will be removed after a notice has been placed on the grave for 28 days.

7.3 Glass containers are not allowed in any section.

## 8. Behaviour in the cemeteries
- Dogs must be kept on a short lead, and assistance dogs are welcome.
- Cycling is not allowed, except on the main drive at Ashgrove.
- Vehicles must keep to the roads and must not exceed 5 miles per hour.
- Visitors are asked to behave quietly and respectfully, especially when a funeral is taking place.

## 9. Contact
Maureen Gilchrist, Cemetery Registrar, Ashgrove Cemetery Office, Ashgrove Road, Kestrelford. Telephone 01632 960170.
"""
