"""Common English words, to tell a name from an ordinary word.

Generated once (not at run time) from the 25,000 most frequent English words that a
standard American English dictionary lists in lower case -- so proper nouns ("London",
"Garcia") are not in it. A capitalised or lower-case pair of tokens that are *not* here
(and not clinical, calendar or organisation words) is read as a person's name when
clinical content is near. Given and family names that are also words ("Maria",
"Rose") are taken out in ``vocabulary`` where the name lists are known.
"""

from __future__ import annotations

_COMMON_ENGLISH_TEXT = """
    abandon abandoned abandoning abandonment abbey abbot abbreviated abbreviation
    abdomen abdominal abducted abduction abide abiding abilities ability able abnormal
    abnormalities aboard abode abolish abolished abolition abomination aboriginal abort
    aborted abortion abortions abound about above abrasive abroad abrupt abruptly
    absence absent absentee absolute absolutely absorb absorbed absorbing absorbs
    absorption abstinence abstract abstraction abstracts absurd absurdity abundance
    abundant abundantly abuse abused abuser abusers abuses abusing abusive abyss
    academia academic academically academics academies academy accelerate accelerated
    accelerating acceleration accelerator accent accents accept acceptable acceptance
    accepted accepting accepts access accessed accessibility accessible accessing
    accession accessories accessory accident accidental accidentally accidents acclaim
    acclaimed accolades accommodate accommodated accommodating accommodation
    accommodations accompanied accompanies accompaniment accompany accompanying
    accomplice accomplish accomplished accomplishing accomplishment accomplishments
    accord accordance according accordingly accords account accountability accountable
    accountant accountants accounted accounting accounts accreditation accredited
    accrued accumulate accumulated accumulating accumulation accuracy accurate
    accurately accusation accusations accuse accused accuses accusing accustomed ace
    aces acetate ache aches achievable achieve achieved achievement achievements
    achieves achieving aching acid acidic acidity acids acknowledge acknowledged
    acknowledgement acknowledges acknowledging acknowledgment acne acoustic acquaintance
    acquaintances acquainted acquire acquired acquires acquiring acquisition
    acquisitions acquitted acre acres acronym across acrylic act acted acting action
    actions activate activated activates activating activation active actively activism
    activist activists activities activity actor actors actress actresses acts actual
    actually acute acutely ad adamant adapt adaptable adaptation adaptations adapted
    adapter adapting adaptive add added addict addicted addiction addictive addicts
    adding addition additional additionally additions additive additives address
    addressed addresses addressing adds adept adequate adequately adhere adhered
    adherence adherents adhering adhesion adhesive adjacent adjective adjectives
    adjoining adjourned adjunct adjust adjustable adjusted adjusting adjustment
    adjustments adjutant admin administer administered administering administration
    administrations administrative administrator administrators admirable admiral
    admiralty admiration admire admired admirer admirers admiring admission admissions
    admit admits admitted admittedly admitting ado adobe adolescence adolescent
    adolescents adopt adopted adopting adoption adoptive adopts adorable adoration adore
    adored adorned adrenaline ads adult adultery adulthood adults advance advanced
    advancement advancements advances advancing advantage advantageous advantages advent
    adventure adventurer adventurers adventures adventurous adversaries adversary
    adverse adversely adversity advert advertise advertised advertisement advertisements
    advertiser advertisers advertising adverts advice advisable advise advised adviser
    advisers advises advising advisor advisors advisory advocacy advocate advocated
    advocates advocating aerial aerobic aerodynamic aerospace aesthetic aesthetically
    aesthetics afar affair affairs affect affected affecting affection affectionate
    affectionately affects affidavit affiliate affiliated affiliates affiliation
    affiliations affinity affirm affirmation affirmative affirmed affirming afflicted
    affliction affluent afford affordable afforded afghan afloat aforementioned afraid
    aft after afterlife aftermath afternoon afternoons afterward afterwards again
    against age aged ageing agencies agency agenda agendas agent agents ages aggravated
    aggravating aggregate aggregation aggression aggressive aggressively agile agility
    aging agitated agitation ago agony agrarian agree agreeable agreed agreeing
    agreement agreements agrees agricultural agriculture ah aha ahead ahem aid aide
    aided aides aiding aids ailments aim aimed aiming aims air airborne aircraft aired
    airfield airing airline airlines airplane airplanes airport airports airs airspace
    airway airways airy aisle aisles akin alarm alarmed alarming alarms alas albeit
    album albums alchemy alcohol alcoholic alcoholics alcoholism alderman ale alert
    alerted alerts algae algebra algebraic algorithm algorithms alias alien alienated
    alienation aliens align aligned alignment alike alive alkaline all allegation
    allegations allege alleged allegedly alleges allegiance alleging allergic allergies
    allergy alleviate alley alliance alliances allied allies alligator allocate
    allocated allocation allotment allotted allow allowance allowances allowed allowing
    allows alloy alloys alluded allure ally almighty almond almonds almost alone along
    alongside aloud alpha alphabet alphabetical alpine already alright also alt altar
    alter alteration alterations altercation altered altering alternate alternately
    alternating alternative alternatively alternatives alters although altitude
    altitudes alto altogether alum aluminum alumni always am amassed amateur amateurs
    amaze amazed amazing amazingly amazon ambassador ambassadors amber ambient ambiguity
    ambiguous ambition ambitions ambitious ambulance ambush ambushed amen amend amended
    amendment amendments amends amenities amid amidst amino amir ammo ammonia ammunition
    amnesia amnesty among amongst amount amounted amounting amounts amp ample
    amplification amplified amplifier amplifiers amplify amplitude amps amuse amused
    amusement amusing an anal analog analogous analogue analogy analyses analysis
    analyst analysts analytic analytical analyze analyzed analyzes analyzing anarchist
    anarchists anarchy anatomical anatomy ancestor ancestors ancestral ancestry anchor
    anchorage anchored anchors ancient ancients and android anecdotal anecdote anecdotes
    anemia anesthesia anew angel angelic angels anger angered angle angled angles
    angrily angry angst anguish angular ani animal animals animate animated animation
    animations anime animosity ankle ankles annals annex annexation annexed annihilation
    anniversary annotated announce announced announcement announcements announcer
    announcers announces announcing annoy annoyance annoyed annoying annoys annual
    annually annuity anomalies anomaly anon anonymity anonymous anonymously anorexia
    another answer answered answering answers ant antagonist antarctic ante antenna
    antennas anterior anthem anthology anthrax anthropologist anthropology anti
    antibiotic antibiotics antibodies antibody anticipate anticipated anticipating
    anticipation antics antidepressants antidote antigen antique antiques antiquities
    antiquity antisocial antitrust ants anus anxieties anxiety anxious any anybody
    anyhow anymore anyone anything anytime anyway anywhere apart apartheid apartment
    apartments apathy ape aperture apes apex apiece apocalypse apocalyptic apologies
    apologize apologized apologizes apologizing apology apostle apostles apostolic app
    appalled appalling apparatus apparel apparent apparently appeal appealed appealing
    appeals appear appearance appearances appeared appearing appears appease appellate
    appendix appetite applaud applauded applause apple apples appliance appliances
    applicable applicant applicants application applications applied applies apply
    applying appoint appointed appointing appointment appointments appoints appraisal
    appreciate appreciated appreciates appreciating appreciation appreciative
    apprehended apprentice apprentices apprenticeship approach approached approaches
    approaching appropriate appropriated appropriately appropriation appropriations
    approval approvals approve approved approves approving approx approximate
    approximately approximation apps apron apt aptitude aptly aqua aquarium aquatic
    aqueous arbitrarily arbitrary arbitration arbor arc arcade arch archaeological
    archaeologist archaeologists archaeology archaic archbishop arched archer archers
    archery arches archipelago architect architects architectural architecture archive
    archived archives arcs arctic ardent arduous are area areas arena arenas arguably
    argue argued argues arguing argument arguments aria arid arise arisen arises arising
    aristocracy aristocratic arithmetic ark arm armada armchair armed armies arming
    armistice armor armored armory arms army aroma aromatic arose around arousal aroused
    arrange arranged arrangement arrangements arranging array arrays arrest arrested
    arresting arrests arrival arrivals arrive arrived arrives arriving arrogance
    arrogant arrow arrows arsenal arsenic arson art artefacts arterial arteries artery
    arthritis article articles articulate articulated artifact artifacts artificial
    artificially artillery artisan artisans artist artistic artistry artists arts
    artwork artworks as asbestos ascend ascended ascending ascension ascent ascertain
    ash ashamed ashes ashore aside ask asked asking asks asleep asparagus aspect aspects
    aspen asphalt aspiration aspirations aspire aspirin aspiring ass assassin
    assassinate assassinated assassination assassins assault assaulted assaulting
    assaults assay assemble assembled assemblies assembling assembly assert asserted
    asserting assertion assertions assertive asserts asses assess assessed assessing
    assessment assessments asset assets asshole assholes assign assigned assigning
    assignment assignments assigns assimilation assist assistance assistant assistants
    assisted assisting assists associate associated associates associating association
    associations assorted assortment assume assumed assumes assuming assumption
    assumptions assurance assurances assure assured assures assuring asteroid asteroids
    asthma astonished astonishing astounding astral astray astrology astronaut
    astronauts astronomer astronomers astronomical astronomy asylum asymmetric at ate
    atheism atheist atheists athlete athletes athletic athletics atlas atmosphere
    atmospheric atom atomic atoms atop atrium atrocious atrocities attach attached
    attaching attachment attachments attack attacked attacker attackers attacking
    attacks attain attained attaining attainment attempt attempted attempting attempts
    attend attendance attendant attendants attended attending attends attention
    attentive attest attested attic attire attitude attitudes attorney attorneys attract
    attracted attracting attraction attractions attractive attractiveness attracts
    attributable attribute attributed attributes attribution attrition atypical auburn
    auction auctioneer auctions audacity audible audience audiences audio audit audited
    auditing audition auditions auditor auditorium auditors auditory audits augment
    augmented august aunt aunts aura auspices austerity authentic authentication
    authenticity author authored authoritarian authoritative authorities authority
    authorization authorize authorized authorizing authors authorship autism autistic
    auto autobiographical autobiography autograph autographs autoimmune automated
    automatic automatically automation automobile automobiles automotive autonomous
    autonomy autopilot autopsy autos autumn auxiliary avail availability available
    avalanche avatar avenge avengers avenue avenues average averaged averages averaging
    aversion avert avg avian aviation avid avocado avoid avoidance avoided avoiding
    avoids aw await awaited awaiting awaits awake awaken awakened awakening awakens
    award awarded awarding awards aware awareness away awe awesome awful awfully awhile
    awkward awkwardly awoke ax axe axes axial axis axle ay aye azure babe babes babies
    baby babysitter babysitting bachelor bachelors back backbone backdrop backed backers
    backfire background backgrounds backing backlash backlog backpack backs backside
    backstage backstory backup backups backward backwards backyard bacon bacteria
    bacterial bad badge badger badgers badges badly badminton baffled baffling bag bagel
    baggage bagged baggy bags bah bail bailed bailout bait bake baked baker bakers
    bakery baking balance balanced balances balancing balcony bald bale ball ballad
    ballads ballast ballet ballistic balloon balloons ballot ballots ballpark ballroom
    balls balm bamboo ban banana bananas band bandage banded bandit bandits bands
    bandwagon bandwidth bane bang banged banging bangs banished banjo bank banker
    bankers banking bankrupt bankruptcy banks banned banner banners banning banquet bans
    banter baptism baptist baptized bar barb barbarian barbarians barbaric barbecue
    barbed barber bard bare barefoot barely bargain bargaining bargains barge bark
    barker barking barley barn barney barns barometer baron baroness barons baroque
    barracks barrage barred barrel barrels barren barrier barriers barring barrister
    barrow bars bartender basal base baseball based baseline baseman basement bases bash
    bashing basic basically basics basil basin basing basins basis basket basketball
    baskets bass bassist bastard bastards bastion bat batch batches bates bath bathe
    bathed bathing bathroom bathrooms baths bathtub baton bats batsman battalion
    battalions batted batter battered batteries battery batting battle battled
    battlefield battles battleship battling bay bayonet bayou bays bazaar be beach
    beaches beacon beacons bead beads beak beam beams bean beans bear beard bearded
    beards bearer bearers bearing bearings bears beast beasts beat beaten beating beats
    beau beauties beautiful beautifully beauty beaver became because beck become becomes
    becoming bed bedding bedrock bedroom bedrooms beds bedside bedtime bee beech beef
    been beep beer beers bees beetle beetles before beforehand beg began beggar beggars
    begged begging begin beginner beginners beginning beginnings begins begs begun
    behalf behave behaved behaves behaving behavior behavioral beheaded behind behold
    beige being beings belief beliefs believable believe believed believer believers
    believes believing bell belle bells belly belong belonged belonging belongings
    belongs beloved below belt belts bench benches benchmark benchmarks bend bender
    bending bends beneath beneficial beneficiaries beneficiary benefit benefited
    benefiting benefits benevolent benign bent berg berries berry berth beside besides
    besieged bespoke best bestowed bestseller bet beta betray betrayal betrayed
    betraying bets better betting between beverage beverages beware beyond bias biased
    biases bible biblical bibliography bicycle bicycles bid bidder bidders bidding bids
    biennial big bigger biggest biggie bigot bigotry bike biker bikers bikes biking
    bikini bilateral bile bilingual bill billboard billboards billed billing billings
    billion billionaire billionaires billions bills billy bin binary bind binder binding
    binds binge bingo bins biochemical biochemistry biodiversity biographical
    biographies biography biological biologically biologist biologists biology
    biomedical biopsy biotechnology bipartisan bipolar birch bird birdie birds birth
    birthday birthdays birthplace births biscuit biscuits bisexual bishop bishops bison
    bit bitch bitches bitching bitcoin bitcoins bite bites biting bits bitten bitter
    bitterly bitterness bittersweet bizarre black blackberry blacked blackjack blacklist
    blackmail blackout blacks blacksmith bladder blade blades blah blame blamed blames
    blaming bland blank blanket blankets blanks blasphemy blast blasted blasting blasts
    blatant blatantly blaze blazer blazers blazing bleach bleak bled bleed bleeding
    blend blended blender blending blends bless blessed blessing blessings blew blight
    blind blinded blinding blindly blindness blinds bling blink blinking bliss blitz
    blizzard bloated bloc block blockade blockbuster blockchain blocked blocking blocks
    blog blogger bloggers blogging blogs blond blonde blood blooded bloodshed
    bloodstream bloody bloom blooming blooms blossom blossoms blouse blow blower blowing
    blown blowout blows blue blueberry bluegrass blueprint blueprints blues bluff
    blunder blunt blur blurred blurry blush blvd boa boar board boarded boarding boards
    boardwalk boast boasted boasting boasts boat boating boats bob bobby bodies bodily
    body bodybuilding bodyguard bodyguards bog bogus bohemian boil boiled boiler boilers
    boiling boils bold boldly bologna bolster bolt bolted bolts bomb bombarded
    bombardment bombed bomber bombers bombing bombings bombs bombshell bond bondage
    bonded bonding bonds bone boner bones bonfire bong bonnet bonnie bonus bonuses bony
    boo boob boobs boogie booing book booked booking bookings booklet books bookshop
    bookstore boom booming boon boost boosted booster boosting boosts boot booted booth
    booths boots booty booze bop border bordered bordering borderline borders bore bored
    boredom boring born borne borough boroughs borrow borrowed borrower borrowers
    borrowing boss bosses bot botanical botany botched both bother bothered bothering
    bothers bottle bottled bottles bottling bottom bottoms bought boulder boulders
    boulevard bounce bounced bouncer bounces bouncing bouncy bound boundaries boundary
    bounded bounds bounty bouquet bourbon bourgeois bout boutique bouts bow bowed bowel
    bowers bowing bowl bowled bowler bowlers bowling bowls bowman bows box boxed boxer
    boxers boxes boxing boy boycott boyfriend boyfriends boys bra brace bracelet
    bracelets braces bracing bracket brackets brad brag bragging braid brain brains
    brainwashed brake brakes braking bran branch branched branches branching brand
    branded branding brands brandy bras brass brat brave bravely bravery braves bravo
    brawl bray breach breached breaches bread breadth break breakdown breakdowns breaker
    breakers breakfast breaking breaks breakthrough breakup breast breasts breath
    breathe breathed breathes breathing breathless breaths breathtaking bred breed
    breeder breeders breeding breeds breeze breezy brethren brew brewed brewer breweries
    brewers brewery brewing bribe bribery bribes brick bricks bridal bride brides
    bridesmaids bridge bridges bridging brief briefed briefing briefings briefly briefs
    brig brigade brigades bright brighten brighter brightest brightly brightness
    brilliance brilliant brilliantly bring bringing brings brink brisk brittle broad
    broadband broadcast broadcaster broadcasters broadcasting broadcasts broaden broader
    broadly broccoli brochure broke broken broker brokerage brokers broncos bronze brood
    brooding brook brooks broom broth brothel brother brotherhood brothers brought brow
    brown brownie brownies browning brownish browns brows browse browser browsers
    browsing bruins bruise bruised bruises bruising brunch brunette brunt brush brushed
    brushes brushing brutal brutality brutally brute bubble bubbles bubbling bubbly buck
    bucket buckets buckle bucks bud buddies budding buddy budge budget budgetary
    budgeting budgets buds buff buffalo buffer buffet bug bugging buggy bugs build
    builder builders building buildings builds buildup built bulb bulbs bulge bulk bulky
    bull bulldog bulldogs bullet bulletin bulletproof bullets bullied bullies bullion
    bullish bullock bullpen bulls bullshit bully bullying bum bummed bummer bump bumped
    bumper bumping bumps bumpy bums bun bunch bundle bundled bundles bungalow bunk
    bunker bunnies bunny buns burden burdened burdens bureau bureaucracy bureaucratic
    bureaucrats burgeoning burger burgers burglar burglary burial buried burn burned
    burner burning burnout burns burnt burr burrito burrows burst bursting bursts bury
    burying bus buses bush bushes busiest business businesses businessman businessmen
    bust busted buster busting bustling busts busy but butch butcher butler butt butter
    butterflies butterfly buttocks button buttons butts buy buyer buyers buying buyout
    buys buzz buzzer buzzing by bye bypass byte bytes ca cab cabaret cabbage cabin
    cabinet cabinets cabins cable cables cabs cache cactus cad cadence cadet cadets
    cafeteria caffeine cage cages cairns cake cakes cal calamity calcium calculate
    calculated calculating calculation calculations calculator calculus calendar
    calendars calf caliber calibrated calibration calif caliphate call called caller
    calling calls calm calmed calming calmly calorie calories calves cam came camel
    camels cameo camera cameraman cameras camouflage camp campaign campaigned
    campaigning campaigns camped camper campers camping camps campus campuses cams can
    canal canals canary cancel canceled canceling cancellation cancelled cancelling
    cancels cancer cancerous cancers candid candidacy candidate candidates candies
    candle candles candy cane canine cannabis canned canning cannon cannons cannot canoe
    canon canonical canopy cans cant canteen canton cantor canvas canyon cap
    capabilities capability capable capacities capacitor capacity cape capital
    capitalism capitalist capitalists capitalization capitalize capitalized capitals
    capitol capped caps capsule capsules captain captains caption captions captivating
    captive captives captivity capture captured captures capturing car caramel carat
    caravan carbohydrate carbohydrates carbon carbonate carbs carcass carcinoma card
    cardboard cardiac cardigan cardinal cardinals cardio cardiovascular cards care cared
    career careers carefree careful carefully caregivers careless cares caretaker cargo
    caricature caring carnage carnival carol carousel carp carpenter carpet carpets
    carriage carriages carried carrier carriers carries carrot carrots carry carrying
    cars cart cartel cartels cartilage carton cartoon cartoons cartridge cartridges
    carts carve carved carver carving cascade case cases cash cashier cashmere casing
    casino casinos casket cassette cast caste casting castle castles castor casts casual
    casually casualties casualty cat catalog catalogue catalyst catalytic catastrophe
    catastrophic catch catcher catches catching catchy categories categorized category
    cater catering caterpillar catfish cathedral catheter catholic cats cattle caucus
    caught cauliflower causal cause caused causes causing caution cautious cautiously
    cavalier cavaliers cavalry cave caveat caves caviar cavities cavity cc cease ceased
    ceasefire ceases cedar ceiling ceilings celebrate celebrated celebrates celebrating
    celebration celebrations celebrities celebrity celery celestial cell cellar cello
    cells cellular cement cemented cemeteries cemetery censor censored censorship census
    cent centenary centennial center centered centers centimeters central centralized
    centrally centrist cents centuries century ceramic ceramics cereal cereals cerebral
    ceremonial ceremonies ceremony certain certainly certainty certificate certificates
    certification certifications certified cervical cessation cf ch chad chain chained
    chains chainsaw chair chaired chairman chairmen chairperson chairs chalk challenge
    challenged challenger challengers challenges challenging chamber chamberlain
    chambers champ champagne champion champions championship championships champs chance
    chancellor chances chandelier chandler change changed changes changing channel
    channels chant chanting chants chaos chaotic chap chapel chaplain chaps chapter
    chapters char character characteristic characteristics characterization characterize
    characterized characters charcoal charge charged charger chargers charges charging
    chariot charisma charismatic charitable charities charity charm charmed charming
    charms chart charter chartered charters charting charts chase chased chaser chases
    chasing chassis chastity chat chats chatted chatter chatting chauffeur cheap cheaper
    cheapest cheaply cheat cheated cheater cheating cheats check checked checking
    checklist checkout checkpoint checkpoints checks cheddar cheek cheeks cheeky cheer
    cheered cheerful cheering cheerleader cheerleaders cheers cheese cheeseburger
    cheesecake cheeses cheesy cheetah chef chefs chem chemical chemically chemicals
    chemist chemistry chemists chemotherapy cherish cherished cherries cherry chess
    chest chestnut chests chevron chew chewed chewing chi chic chick chicken chickens
    chicks chief chiefly chiefs child childbirth childcare childhood childish children
    chile chili chill chilled chilli chilling chills chilly chime chimney chin china
    chip chipped chipping chips chloride chlorine chocolate chocolates choice choices
    choir choke choked choking cholera cholesterol choose chooses choosing chop chopped
    chopper chopping chops choral chord chords chore choreographer choreography chores
    chorus chose chosen chow chrome chromium chromosome chromosomes chronic chronicle
    chronicles chronological chronology chubby chuck chuckle chunk chunks chunky church
    churches churning chute cider cigar cigarette cigarettes cigars cinema cinemas
    cinematic cinematography cinnamon cipher circa circle circled circles circling
    circuit circuits circular circulate circulated circulating circulation circumcision
    circumference circumstance circumstances circumstantial circumvent circus cis
    citadel citation citations cite cited cites cities citing citizen citizens
    citizenship citrus city civic civil civilian civilians civilization civilizations
    civilized clad claim claimant claimants claimed claiming claims clam clamp clams
    clan clandestine clans clap clapping clarification clarified clarify clarifying
    clarinet clarity clash clashed clashes class classed classes classic classical
    classics classification classifications classified classify classmate classmates
    classroom classrooms classy clause clauses claw claws clay clean cleaned cleaner
    cleaners cleaning cleanliness cleans cleanse cleansing cleanup clear clearance
    cleared clearer clearing clearly clears cleavage clement clergy clergyman cleric
    clerical clerk clerks clever cleverly click clicked clicking clicks client clients
    cliff cliffs climate climates climatic climax climb climbed climber climbers
    climbing climbs clinch clinched cling clinging clinic clinical clinically clinicians
    clinics clip clipped clippers clipping clips clique cloak clock clocked clocks
    clockwise clockwork clogged clone clones cloning close closed closely closeness
    closer closes closest closet closing closure closures clot cloth clothed clothes
    clothing cloud clouds cloudy clout clover clown clowns club clubhouse clubs clue
    clueless clues clumsy cluster clusters clutch clutches clutching clutter cm coach
    coached coaches coaching coal coalition coarse coast coastal coaster coasters
    coastline coasts coat coated coating coatings coats cobalt cobra cocaine cock
    cockpit cockroach cocks cocktail cocktails cocky cocoa coconut cod code coded codes
    codex coding coefficient coefficients coercion coffee coffin cognition cognitive
    coherent cohesion cohesive cohort coil coils coin coincide coincided coincidence
    coincidentally coincides coined coins coke col cola cold colder coldest coliseum
    collaborate collaborated collaborating collaboration collaborations collaborative
    collaborator collaborators collage collapse collapsed collapses collapsing collar
    collars collateral colleague colleagues collect collected collectible collecting
    collection collections collective collectively collector collectors collects colleen
    college colleges collegiate collide collided collier collision collisions collusion
    cologne colon colonel colonial colonialism colonies colonists colonization colony
    color colored colorful coloring colors colossal colt colts column columnist columns
    coma comb combat combatants combating combination combinations combine combined
    combines combining combo combs combustion come comeback comedian comedians comedic
    comedies comedy comes comet comets comfort comfortable comfortably comforted
    comforting comforts comfy comic comical comics coming comm comma command commandant
    commanded commander commanders commanding commandment commandments commando commands
    commemorate commemorating commemoration commemorative commence commenced
    commencement commencing commend commended comment commentaries commentary
    commentator commentators commented commenting comments commerce commercial
    commercially commercials commission commissioned commissioner commissioners
    commissioning commissions commit commitment commitments commits committed committee
    committees committing commodities commodity commodore common commonly commonplace
    commons commonwealth commotion communal commune communicate communicated
    communicates communicating communication communications communion communism
    communist communists communities community commute commuter commuters commuting
    compact companies companion companions companionship company comparable comparative
    comparatively compare compared compares comparing comparison comparisons compartment
    compartments compass compassion compassionate compatibility compatible compel
    compelled compelling compensate compensated compensation compete competed competence
    competency competent competes competing competition competitions competitive
    competitiveness competitor competitors compilation compile compiled compiler
    compiling complacent complain complained complaining complains complaint complaints
    complement complementary complete completed completely completeness completes
    completing completion complex complexes complexion complexities complexity
    compliance compliant complicate complicated complication complications complied
    compliment complimentary complimented compliments comply complying component
    components compose composed composer composers composing composite composites
    composition compositions compost composure compound compounded compounds comprehend
    comprehension comprehensive compressed compression compressor comprise comprised
    comprises comprising compromise compromised compromises compromising compulsive
    compulsory computation computational compute computed computer computerized
    computers computing comrade comrades con conceal concealed concede conceded
    conceding conceivable conceive conceived concentrate concentrated concentrates
    concentrating concentration concentrations concept conception concepts conceptual
    concern concerned concerning concerns concert concerted concerto concerts concession
    concessions concierge concise conclude concluded concludes concluding conclusion
    conclusions conclusive concord concrete concur concurrent concurrently concussion
    condemn condemnation condemned condemning condemns condensation condensed condition
    conditional conditioned conditioner conditioning conditions condo condolences condom
    condoms condone condos conducive conduct conducted conducting conductivity conductor
    conductors conducts conduit cone cones confederacy confederate confederation confer
    conference conferences conferred confess confessed confesses confession confessions
    confidence confident confidential confidentiality confidently configuration
    configurations configured confined confinement confines confirm confirmation
    confirmed confirming confirms confiscated conflict conflicted conflicting conflicts
    confluence conform conformity confront confrontation confronted confronting
    confronts confuse confused confusing confusion congenital congested congestion
    conglomerate congratulate congratulated congratulations congregation congregations
    congress congressional congressman congressmen conjecture conjunction connect
    connected connecting connection connections connectivity connector connectors
    connects conquer conquered conquering conqueror conquest cons conscience
    conscientious conscious consciously consciousness consecrated consecutive consensual
    consensus consent consented consequence consequences consequently conservation
    conservatism conservative conservatives conservatory conserve conserved consider
    considerable considerably considerate consideration considerations considered
    considering considers consist consisted consistency consistent consistently
    consisting consists consolation console consoles consolidate consolidated
    consolidating consolidation consort consortium conspicuous conspiracy constable
    constant constantly constellation constipation constituencies constituency
    constituent constituents constitute constituted constitutes constitution
    constitutional constrained constraint constraints construct constructed constructing
    construction constructions constructive constructs construed consul consular
    consulate consult consultancy consultant consultants consultation consultations
    consultative consulted consulting consume consumed consumer consumers consumes
    consuming consumption cont contact contacted contacting contacts contagious contain
    contained container containers containing containment contains contaminants
    contaminated contamination contemplate contemplated contemplating contemplation
    contemporaries contemporary contempt contend contended contender contenders contends
    content contention contentious contents contest contestant contestants contested
    contesting contests context contexts contextual contiguous continent continental
    continents contingency contingent continual continually continuation continue
    continued continues continuing continuity continuous continuously continuum contour
    contraband contraception contract contracted contracting contraction contractions
    contractor contractors contracts contractual contradict contradicted contradiction
    contradictions contradictory contradicts contrary contrast contrasted contrasting
    contrasts contribute contributed contributes contributing contribution contributions
    contributor contributors contrived control controlled controller controllers
    controlling controls controversial controversies controversy convection convened
    convenience convenient conveniently convent convention conventional conventions
    converge convergence conversation conversations converse conversely conversion
    conversions convert converted converter convertible converting converts convex
    convey conveyed conveying conveyor conveys convict convicted conviction convictions
    convicts convince convinced convincing convoy coo cook cookbook cooked cooker
    cookery cookie cookies cooking cooks cool coolant cooled cooler coolest cooling coop
    cooper cooperate cooperating cooperation cooperative coordinate coordinated
    coordinates coordinating coordination coordinator cop cope copied copies coping
    copper cops copy copying copyright copyrighted coral cord cordon cords core cores
    cork corn corner cornered corners cornerstone corny corolla corona coronary
    coronation coronavirus coroner corp corporal corporate corporation corporations
    corps corpse corpses corpus correct corrected correcting correction correctional
    corrections corrective correctly correctness correlate correlated correlation
    correspond correspondence correspondent correspondents corresponding corresponds
    corridor corridors corrosion corrugated corrupt corrupted corruption cortex cosmetic
    cosmetics cosmic cosmopolitan cosmos cosplay cost costing costly costs costume
    costumes cosy cot cottage cottages cotton couch cougar cougars cough coughing could
    council councillor councillors councilman councils counsel counseling counsellor
    counselor counselors count countdown counted counter counteract countered
    counterfeit counterpart counterparts counters countess counties counting countless
    countries country countrymen countryside counts county coup coupe couple coupled
    couples coupling coupon coupons courage courageous courier course courses court
    courteous courtesy courthouse courtroom courts courtship courtyard cousin cousins
    cove covenant cover coverage covered covering covers covert coveted cow coward
    cowardly cowards cowboy cowboys coworker coworkers cows cox coyote coyotes cozy crab
    crabs crack crackdown cracked cracker crackers cracking cracks cradle craft crafted
    crafting crafts craftsman craftsmen crafty cram crammed cramped cramps cranberry
    crane cranes crank cranky crap crappy crash crashed crashes crashing crate crater
    crates crave craven craving cravings crawl crawled crawling craze crazed craziest
    crazy cream creams creamy crease create created creates creating creation creations
    creative creativity creator creators creature creatures credentials credibility
    credible credit credited creditors credits creed creek creep creeping creeps creepy
    crept crescent crest crew crews crib cricket cricketer crickets cried cries crime
    crimes criminal criminally criminals crimson cringe cripple crippled crippling
    crises crisis crisp crispy criteria criterion critic critical critically criticism
    criticisms criticize criticized criticizes criticizing critics critique critiques
    crochet crocodile crocodiles crook crooked crooks crop cropped crops cross crossed
    crosses crossing crossings crossover crossroads crossword crotch crouch crow crowd
    crowded crowdfunding crowds crown crowned crowns crows crucial crucible crucified
    crude cruel cruelty cruise cruiser cruisers cruises cruising crumble crumbling
    crumbs crunch crunching crunchy crusade crusader crusaders crush crushed crushes
    crushing crust crutches cry crying cryptic cryptocurrency crystal crystalline
    crystals cs ct cu cub cube cubes cubic cubs cuckoo cucumber cuddle cuddly cue cues
    cuff cuffs cuisine culinary culminated culminating culmination culprit cult
    cultivate cultivated cultivating cultivation cults cultural culturally culture
    cultured cultures cum cumbersome cumming cumulative cunning cunt cunts cup cupboard
    cupcake cupcakes cupid cups curator curb cure cured cures curfew curing curiosity
    curious curiously curl curled curling curls curly currencies currency current
    currently currents curriculum curry curse cursed curses cursing curt curtain
    curtains curvature curve curved curves curvy cushion cushions custard custodian
    custody custom customary customer customers customization customize customized
    customs cut cute cutest cutoff cuts cutter cutters cutting cyanide cycle cycles
    cyclic cyclical cycling cyclist cyclists cyclone cylinder cylinders cylindrical
    cynical cynicism cypress cyst dab dad daddy dads daft dagger daily dairy daisy dale
    dam damage damaged damages damaging dame damn damned damning damp dams dance danced
    dancer dancers dances dancing dandy danger dangerous dangerously dangers dangling
    dank dare dared daredevil dares daring dark darkened darker darkest darkness darling
    darn dart darts dash dashboard dashed dashing data database databases date dated
    dates dating daughter daughters daunting davenport dawn day daylight days daytime
    dazed dazzling dd deacon dead deadliest deadline deadlines deadly deaf deal dealer
    dealers dealership dealing dealings deals dealt dean dear dearest dearly death
    deaths deb debacle debatable debate debated debates debating debilitating debit
    debris debt debts debut debuted debuts decade decades decay decaying deceased deceit
    deceive deceived deceiving decency decent decentralized deception deceptive decide
    decided decidedly decides deciding decimal decipher decision decisions decisive
    decisively deck decks declaration declarations declare declared declares declaring
    decline declined declines declining decomposition decor decorate decorated
    decorating decoration decorations decorative decrease decreased decreases decreasing
    decree dedicate dedicated dedication deducted deductible deduction deductions deed
    deeds deem deemed deep deepen deepening deeper deepest deeply deer defamation
    default defaults defeat defeated defeating defeats defect defective defects defend
    defendant defendants defended defender defenders defending defends defense defenses
    defensive defensively defer deferred defiance defiant deficiencies deficiency
    deficient deficit deficits define defined defines defining definite definitely
    definition definitions definitive definitively deflect deflection deforestation
    deformation deformed defunct defy defying degenerate degeneration degradation
    degrade degraded degrading degree degrees dehydrated dehydration deities deity delay
    delayed delaying delays delegate delegates delegation delete deleted deleting
    deletion deli deliberate deliberately deliberations delicacy delicate delicious
    delight delighted delightful delights delinquent deliver delivered deliveries
    delivering delivers delivery dell delta deluded delusion delusions deluxe delve
    demand demanded demanding demands demeanor dementia demise demo democracies
    democracy democrat democratic democratically democrats demographic demographics
    demolish demolished demolition demon demonic demons demonstrate demonstrated
    demonstrates demonstrating demonstration demonstrations demonstrators demos den
    denial denied denies denim denomination denominations denominator denote denoted
    denotes denounce denounced dense densely density dent dental dentist dentistry
    dentists deny denying deodorant depart departed departing department departmental
    departments departs departure departures depend dependable depended dependence
    dependencies dependency dependent depending depends depict depicted depicting
    depiction depicts depleted depletion deplorable deploy deployed deploying deployment
    deployments deport deportation deported deposed deposit deposited deposition
    deposits depot depreciation depressed depressing depression depressive deprivation
    deprive deprived dept depth depths deputies deputy deranged derby deregulation
    derivative derivatives derive derived derives derogatory derrick descend descendant
    descendants descended descending descends descent describe described describes
    describing description descriptions descriptive desert deserted deserts deserve
    deserved deserves deserving design designate designated designation designed
    designer designers designing designs desirable desire desired desires desk desks
    desktop desolate despair desperate desperately desperation despicable despise
    despised despite dessert desserts destination destinations destined destiny destroy
    destroyed destroyer destroyers destroying destroys destruction destructive detached
    detachment detail detailed detailing details detain detained detainees detect
    detected detecting detection detective detectives detector detectors detention deter
    detergent deteriorate deteriorated deteriorating deterioration determination
    determine determined determines determining deterrent detonated detour detox
    detriment detrimental devastated devastating devastation develop developed developer
    developers developing development developmental developments develops deviation
    device devices devil devils devise devised devoid devolved devote devoted devotees
    devotion devotional devour devout dew dharma diabetes diabetic diagnose diagnosed
    diagnoses diagnosis diagnostic diagnostics diagonal diagram diagrams dial dialect
    dialects dialog dialogue dialogues dialysis diameter diamond diamonds diaper diapers
    diaries diarrhea diary dice dick dicks dictate dictated dictates dictator dictators
    dictatorship dictionaries dictionary did die died dies diesel diet dietary dieting
    diets diff differ differed difference differences different differential
    differentiate differentiated differentiation differently differing differs difficult
    difficulties difficulty diffuse diffusion dig digest digestion digestive digger
    digging digit digital digitally digits dignified dignity digs dilemma diligence
    diligent diligently dilute diluted dim dime dimension dimensional dimensions
    diminish diminished diminishing din dine diner diners ding dining dinner dinners
    dinosaur dinosaurs diocese dioxide dip diploma diplomacy diplomat diplomatic
    diplomats dipped dipping dips dire direct directed directing direction directional
    directions directive directives directly director directorate directories directors
    directory directs dirk dirt dirty dis disabilities disability disable disabled
    disabling disadvantage disadvantaged disadvantages disagree disagreed disagreement
    disagreements disagrees disappear disappearance disappeared disappearing disappears
    disappoint disappointed disappointing disappointment disappointments disapproval
    disapprove disarm disarmament disaster disasters disastrous disbanded disbelief disc
    discard discarded discern discharge discharged disciple disciples disciplinary
    discipline disciplined disciplines disclaimer disclose disclosed disclosing
    disclosure disclosures disco discomfort disconnect disconnected discontent
    discontinued discord discount discounted discounts discourage discouraged
    discouraging discourse discover discovered discoveries discovering discovers
    discovery discredit discredited discreet discrepancies discrepancy discrete
    discretion discretionary discriminate discriminated discriminating discrimination
    discriminatory discs discuss discussed discusses discussing discussion discussions
    disdain disease diseases disgrace disgraced disgraceful disguise disguised disgust
    disgusted disgusting dish dishes dishonest dishonesty dishwasher disillusioned disk
    disks dislike disliked dislikes dismal dismantle dismantled dismantling dismay
    dismiss dismissal dismissed dismissing disobedience disorder disorderly disorders
    disparate disparities disparity dispatch dispatched dispersal disperse dispersed
    dispersion displaced displacement display displayed displaying displays displeasure
    disposable disposal dispose disposed disposition disproportionate disproportionately
    dispute disputed disputes disqualified disregard disrespect disrespectful disrupt
    disrupted disrupting disruption disruptive diss dissatisfaction dissatisfied
    dissemination dissent dissenting dissertation dissolution dissolve dissolved
    distance distances distant distilled distillery distinct distinction distinctions
    distinctive distinctly distinguish distinguished distinguishes distinguishing
    distorted distortion distract distracted distracting distraction distractions
    distraught distress distressed distressing distribute distributed distributes
    distributing distribution distributions distributor distributors district districts
    distrust disturb disturbance disturbances disturbed disturbing ditch ditched ditto
    diva dive diver divergence divergent divers diverse diversification diversified
    diversify diversion diversity divert diverted dives divide divided dividend
    dividends divides dividing divine diving divinity division divisional divisions
    divisive divorce divorced dizzy do doc dock docked docking docks docs doctor
    doctoral doctorate doctors doctrine doctrines document documentaries documentary
    documentation documented documenting documents dodge dodged dodger dodgers dodging
    dodgy doe does dog doggy dogma dogs doing dole doll dollar dollars dolls dolly
    dolphin dolphins domain domains dome domestic domestically domesticated dominance
    dominant dominate dominated dominates dominating domination dominion domino don
    donate donated donating donation donations done donkey donor donors dons donut
    donuts doodle doom doomed doomsday door doors doorstep doorway dope doping dorm
    dormant dormitory dorsal dos dosage dose doses dossier dot doth dots dotted double
    doubled doubles doubling doubly doubt doubted doubtful doubting doubts douche dough
    doughnut doughnuts dove down downed downfall downgrade downgraded downhill downing
    download downloadable downloaded downloading downloads downright downs downstairs
    downstream downtime downtown downturn downward downwards dowry dozen dozens draft
    drafted drafting drafts drag dragged dragging dragon dragons drags drain drainage
    drained draining drains drake drama dramas dramatic dramatically drank draped
    drastic drastically draw drawback drawbacks drawer drawers drawing drawings drawn
    draws dread dreaded dreadful dream dreamed dreamer dreaming dreams dreamy dredging
    drenched dress dressed dresser dresses dressing drew dried drier dries drift drifted
    drifting drill drilled drilling drills drink drinker drinkers drinking drinks drip
    dripping drive driven driver drivers drives driveway driving drizzle droid drone
    drones drop dropped dropping drops drought drove drown drowned drowning drug drugged
    drugs drum drummer drumming drums drunk drunken dry dryer drying dual duality dub
    dubbed dubious duchess duck ducks duct dude dudes due duel dues duet duff dug duh
    duke dukes dull duly dumb dumber dumbest dummies dummy dump dumped dumping dumps
    dumpster dun dune dunes dung dungeon dungeons dunk dunno duo duplex duplicate
    duplication durability durable duration during dusk dust dusty duties duty dwarf
    dwarfs dwarves dwell dwellers dwelling dwellings dye dyed dyer dyes dying dyke
    dynamic dynamics dynamite dynamo dynasty dysfunction dysfunctional ea each eager
    eagerly eagle eagles ear earl earlier earliest early earn earned earners earnest
    earning earnings earns earrings ears earth earthly earthquake earthquakes ease eased
    easier easiest easily easing east eastern eastward easy eat eaten eater eaters
    eating eats ebony eccentric ecclesiastical echo echoed echoes echoing eclectic
    eclipse ecological ecology economic economical economically economics economies
    economist economists economy ecosystem ecosystems ecstasy ecstatic ed eddy edge
    edged edges edging edgy edible edit edited editing edition editions editor editorial
    editors edits eds educate educated educating education educational educator
    educators eel eels eerie effect effected effective effectively effectiveness effects
    efficacy efficiencies efficiency efficient efficiently effort effortless
    effortlessly efforts egg eggs ego eh eight eighteen eighteenth eighth eighties
    eighty either ejected elaborate elaborated elastic elbow elbows elder elderly elders
    eldest elect elected electing election elections elective electoral electorate
    electors electric electrical electrically electrician electricity electrode
    electrodes electromagnetic electron electronic electronically electronics electrons
    elegance elegant element elemental elementary elements elephant elephants elevate
    elevated elevation elevations elevator elevators eleven eleventh elf eligibility
    eligible eliminate eliminated eliminates eliminating elimination elite elites elixir
    elk elliptical elm elongated eloquent else elsewhere elusive elves em email emailed
    emails emancipation embankment embargo embark embarked embarking embarrass
    embarrassed embarrassing embarrassment embassies embassy embedded emblem embodied
    embodies embodiment embody embrace embraced embraces embracing embroidered
    embroidery embryo embryonic embryos emerald emerge emerged emergence emergencies
    emergency emergent emerges emerging emeritus emery emigrated emigration eminence
    eminent emirates emission emissions emit emitted emitting emo emoji emotion
    emotional emotionally emotions empathy emperor emperors emphasis emphasize
    emphasized emphasizes emphasizing empire empires empirical employ employed employee
    employees employer employers employing employment employs empower empowered
    empowering empowerment empress emptied emptiness empty ems emulate enable enabled
    enables enabling enact enacted enactment enamel enchanted enchanting enclave
    enclosed enclosure encoded encoding encompass encompasses encompassing encore
    encounter encountered encountering encounters encourage encouraged encouragement
    encourages encouraging encrypted encryption encyclopedia end endanger endangered
    endearing endeavor endeavors ended endemic ending endings endless endlessly endorse
    endorsed endorsement endorsements endorsing endowed endowment ends endurance endure
    endured enduring enemies enemy energetic energies energy enforce enforced
    enforcement enforcing engage engaged engagement engagements engages engaging engine
    engineer engineered engineering engineers engines engraved engraving enhance
    enhanced enhancement enhancements enhances enhancing enigma enjoy enjoyable enjoyed
    enjoying enjoyment enjoys enlarge enlarged enlargement enlighten enlightened
    enlightenment enlist enlisted enormous enormously enough enquiries enquiry enraged
    enrich enriched enrichment enroll enrolled enrolling enrollment ensemble ensign
    enslaved ensued ensuing ensure ensured ensures ensuring entail entails entangled
    enter entered entering enterprise enterprises enters entertain entertained
    entertainer entertainers entertaining entertainment enthusiasm enthusiast
    enthusiastic enthusiastically enthusiasts entice enticing entire entirely entirety
    entities entitled entitlement entity entourage entrance entrances entrants
    entrenched entrepreneur entrepreneurial entrepreneurs entries entropy entrusted
    entry envelope envelopes envious environment environmental environmentally
    environments envision envisioned envoy envy enzyme enzymes epic epidemic
    epidemiology epilepsy epilogue episcopal episode episodes epitome epoch equal
    equality equally equals equate equation equations equator equatorial equestrian
    equilibrium equip equipment equipped equitable equities equity equivalence
    equivalent equivalents era eradicate eradication eras erase erased ere erect erected
    erection eroded erosion erotic err errands erratic erroneous error errors erupted
    eruption eruptions es escalate escalated escalating escalation escape escaped
    escapes escaping escort escorted escorts esoteric esp especially espionage espresso
    essay essays essence essential essentially essentials est establish established
    establishes establishing establishment establishments estate estates esteem esteemed
    estimate estimated estimates estimating estimation estranged estrogen estuary eta
    etc etched etching eternal eternally eternity ether ethereal ethic ethical ethics
    ethnic ethnically ethnicity ethos etiquette euphoria eureka euro euros euthanasia
    evacuate evacuated evacuation evade evaluate evaluated evaluating evaluation
    evaluations evangelical evangelicals evasion eve even evening evenings evenly event
    events eventual eventually ever evergreen everlasting every everybody everyday
    everyone everything everywhere evicted eviction evidence evidenced evident evidently
    evil evils evoke evoked evolution evolutionary evolve evolved evolves evolving ex
    exacerbated exact exactly exaggerate exaggerated exaggerating exaggeration exalted
    exam examination examinations examine examined examiner examines examining example
    examples exams excavated excavation excavations exceed exceeded exceeding
    exceedingly exceeds excel excelled excellence excellent except exception exceptional
    exceptionally exceptions excerpt excerpts excess excesses excessive excessively
    exchange exchanged exchanges exchanging exchequer excise excite excited excitement
    exciting exclude excluded excludes excluding exclusion exclusive exclusively
    excursion excursions excuse excused excuses exec execute executed executing
    execution executions executive executives exemplary exemplified exempt exemption
    exemptions exercise exercised exercises exercising exert exhaust exhausted
    exhausting exhaustion exhaustive exhibit exhibited exhibiting exhibition exhibitions
    exhibits exhilarating exile exiled exist existed existence existent existential
    existing exists exit exited exiting exits exodus exotic expand expanded expanding
    expands expanse expansion expansions expansive expect expectancy expectation
    expectations expected expecting expects expedition expeditions expel expelled
    expenditure expenditures expense expenses expensive experience experienced
    experiences experiencing experiment experimental experimentation experimented
    experimenting experiments expert expertise experts expiration expire expired expires
    explain explained explaining explains explanation explanations explanatory explicit
    explicitly explode exploded explodes exploding exploit exploitation exploited
    exploiting exploits exploration exploratory explore explored explorer explorers
    explores exploring explosion explosions explosive explosives expo exponential
    exponentially export exported exporter exporters exporting exports expose exposed
    exposes exposing exposition exposure exposures express expressed expresses
    expressing expression expressions expressive expressly expulsion exquisite extant
    extend extended extending extends extension extensions extensive extensively extent
    exterior extermination external externally extinct extinction extinguished extortion
    extra extract extracted extracting extraction extracts extradition extraordinarily
    extraordinary extras extravagant extreme extremely extremes extremism extremist
    extremists eye eyeballs eyebrow eyebrows eyed eyeing eyelashes eyelids eyeliner eyes
    eyesight eyewitness fa fable fabric fabricated fabrication fabrics fabulous facade
    face faced faces facet facets facial facilitate facilitated facilitates facilitating
    facilities facility facing fact faction factions factor factories factors factory
    facts factual faculties faculty fad fade faded fades fading fag faggot fail failed
    failing fails failure failures faint fainted fair fairies fairly fairness fairs
    fairy faith faithful faithfully faiths fake faked fakes faking falcon falcons fall
    fallacy fallen falling fallout falls false falsely fame famed familial familiar
    familiarity families family famine famous famously fan fanatic fanatics fancied
    fancy fandom fanfare fang fanny fans fantasies fantastic fantasy far farce fare
    fares farewell farm farmed farmer farmers farmhouse farming farmland farms fart
    farther farts fascinated fascinating fascination fascism fascist fascists fashion
    fashionable fashioned fashions fast faster fastest fasting fat fatal fatalities
    fatality fatally fate fated fates father fathers fathom fatigue fats fatty fault
    faults faulty fauna favor favorable favorably favored favoring favorite favorites
    favors fax fear feared fearful fearing fearless fears feasibility feasible feast
    feat feather feathers feats feature featured features featuring feces fed federal
    federally federation feds fee feeble feed feedback feeder feeding feeds feel feeling
    feelings feels fees feet felicity feline fell fellow fellows fellowship fellowships
    felon felony felt female females feminine femininity feminism feminist feminists
    fence fenced fences fencing fend fender feral fermentation fermented fern ferns
    ferocious ferries ferry fertile fertility fertilizer fest festival festivals festive
    festivities fetal fetch fetched fetish fetus feud feudal fever few fewer fiasco fiat
    fiber fibers fickle fiction fictional fictitious fiddle fidelity field fielder
    fielding fields fierce fiercely fiery fiesta fife fifteen fifteenth fifth fifties
    fifty fig fight fighter fighters fighting fights figs figurative figure figured
    figures figuring file filed files filing filings fill filled filler filling fills
    filly film filmed filming filmmaker filmmakers films filter filtered filtering
    filters filth filthy filtration fin final finale finalist finalists finalized
    finally finals finance financed finances financial financially financing finch find
    finder finding findings finds fine fined finely finer fines finesse finest finger
    fingernails fingerprint fingerprints fingers fingertips finish finished finisher
    finishes finishing finite fins fir fire firearm firearms fireball fired firefighter
    firefighters firefly fireman fireplace firepower fires firewall firewood fireworks
    firing firm firmly firms firmware first firsthand firstly firth fiscal fish fisher
    fisheries fisherman fishermen fishery fishes fishing fishy fist fists fit fitness
    fits fitted fitting fittings five fix fixation fixed fixes fixing fixture fixtures
    fl flag flagged flags flagship flair flake flakes flame flames flaming flammable
    flank flanked flanks flannel flap flaps flare flared flares flash flashback
    flashbacks flashed flashes flashing flashlight flashy flask flat flats flattened
    flatter flattered flattering flavor flavored flavors flaw flawed flawless flaws flea
    fled fledged flee fleece fleeing fleet fleeting fleets flesh flew flex flexibility
    flexible flick flies flight flights fling flint flip flipped flipping flips flirt
    flirting float floated floating floats flock flood flooded flooding floods floor
    flooring floors flop floppy flops flora floral floss flotation flour flourish
    flourished flourishing flow flowed flower flowering flowers flowing flown flows flu
    fluctuations fluent fluff fluffy fluid fluids fluke flung fluorescence fluorescent
    fluoride flush flushed flushing flute flux fly flyer flyers flying foam focal focus
    focused focuses focusing focussed fodder foe foes fog foggy foil fold folded folder
    folders folding folds foliage folk folklore folks follow followed follower followers
    following follows folly fond fondly fondness font fonts foo food foods fool fooled
    fooling foolish fools foot footage football footballer footballers footed foothills
    footing footnote footnotes footprint footprints footsteps footwear footwork for
    forage foraging forbid forbidden forbids force forced forceful forcefully forces
    forcibly forcing ford fore forearm forecast forecasting forecasts foreclosure
    forefront foreground forehead foreign foreigner foreigners foreman foremost forensic
    forensics foresee foreseeable foresight forest forestry forests forever foreword
    forfeit forge forged forgery forget forgets forgetting forging forgive forgiven
    forgiveness forgiving forgot forgotten fork forks form formal formality formally
    format formation formations formative formats formatting formed former formerly
    formidable forming forms formula formulas formulate formulated formulation forsaken
    fort forte forth forthcoming fortified fortitude fortnight fortress forts fortunate
    fortunately fortune fortunes forty forum forums forward forwarded forwarding
    forwards fossil fossils foster fostered fostering fought foul fouls found foundation
    foundations founded founder founders founding foundry fountain fountains four fours
    fourteen fourteenth fourth fox foxes fr fracking fraction fractions fracture
    fractured fractures fragile fragment fragmentation fragmented fragments fragrance
    fragrant frail frame framed frames framework frameworks framing franchise franchises
    francs frank frankly franks frantic frantically frat fraternity fraud fraudulent
    fraught fray freak freaked freaking freaks freaky free freed freedom freedoms
    freeing freelance freely freeman frees freestyle freeway freeze freezer freezes
    freezing freight french frenzy frequencies frequency frequent frequented frequently
    fresh freshly freshman freshmen freshness freshwater fret friction fridge fried
    friend friendly friends friendship friendships fries fright frightened frightening
    fringe fringes frivolous fro frog frogs from front frontal fronted frontier
    frontiers fronts frost frosty frown frowned froze frozen fruit fruitful fruition
    fruits fruity frustrated frustrating frustration frustrations fry frying ft fuck
    fucked fucker fuckers fucking fucks fudge fuel fueled fueling fuels fugitive fulfil
    fulfill fulfilled fulfilling fulfillment full fullback fuller fullest fully fumble
    fumes fun function functional functionality functionally functioning functions fund
    fundamental fundamentalist fundamentally fundamentals funded funding funds funeral
    funerals fungal fungi fungus funk funky funnel funnier funniest funny fur furious
    furiously furnace furnish furnished furnishings furniture furry further furthermore
    furthest fury fuse fused fusion fuss futile future futures futuristic fuzzy gabby
    gadget gadgets gag gage gain gained gaining gains gal gala galactic galaxies galaxy
    gale gall gallant galleries gallery galley gallon gallons gals gamble gambler
    gamblers gambling game gamer games gaming gamma gang gangs gangster gangsters gap
    gaping gaps garage garages garbage garden gardener gardeners gardening gardens
    garland garlic garment garments garner garnered garnet garrison gas gases gasoline
    gasp gastric gastrointestinal gate gated gates gateway gather gathered gathering
    gatherings gathers gauge gauges gauntlet gave gay gays gaze gazette gazing gear
    gearbox geared gearing gears gee geek geeks geese geez gel gem gems gen gender
    genders gene genealogy genera general generalization generalized generally generals
    generate generated generates generating generation generations generator generators
    generic generosity generous generously genes genesis genetic genetically genetics
    genie genital genitals genius geniuses genocide genome genre genres gent gentle
    gentleman gentlemen gently gentry gents genuine genuinely genus geographic
    geographical geographically geography geologic geological geologist geologists
    geology geometric geometry geopolitical geothermal germ germs gesture gestures get
    getaway gets getting ghetto ghost ghostly ghosts giant giants gibbons giddy gift
    gifted gifts gig gigantic giggle giggles giggling gigs gilded gill gimme gimmick gin
    ginger giraffe girl girlfriend girlfriends girls gist give giveaway giveaways given
    gives giving glacial glacier glaciers glad gladiator gladly glamorous glamour glance
    glanced gland glands glare glaring glass glasses glaze glazed glee glen glide
    gliding glimpse glimpses glitch glitches glitter glittering global globalization
    globally globe gloom gloomy glorified glorious glory gloss glossary glossy glove
    gloves glow glowing glucose glue glued gluten gm gnome go goal goalie goalkeeper
    goals goat goats goblin god goddamn goddess godfather godly gods goes goggles going
    gold golden goldfish golds goldsmith golf golfer golfers golfing gone gong gonna goo
    good goodbye goodies goodness goodnight goods goodwill goofy google googled goons
    goose gore gorge gorgeous gorilla gosh gospel gospels gossip got gotcha gotta gotten
    gourmet gov govern governance governed governing government governmental governments
    governor governors governs govt gown gowns gr grab grabbed grabbing grabs grace
    graceful gracefully gracious grad grade graded grader graders grades gradient
    grading gradual gradually graduate graduated graduates graduating graduation
    graffiti graft grail grain grains gram grammar grammatical grams grand grandchild
    grandchildren granddaughter grandeur grandfather grandma grandmother grandpa
    grandparents grandson grange granite granny grant granted granting grants grape
    grapefruit grapes graph graphic graphical graphics graphite graphs grapple grappling
    grasp grasping grass grasses grassy grate grated grateful gratification grating
    gratitude grave gravel graves graveyard gravitational gravity gravy gray grazing
    grease greasy great greater greatest greatly greatness greats greed greedy green
    greener greenhouse greens greet greeted greeting greetings greets grenade grenades
    grew grey greyhound grid grids grief grievance grievances grieve grieving grievous
    griffin grill grilled grilling grim grimes grin grind grinder grinding grinning grip
    gripped gripping grips grit gritty grizzlies grizzly groan groceries grocery groin
    groom groomed grooming groove grooves gross grossed grossing grossly grotesque
    ground groundbreaking grounded grounding grounds groundwork group grouped grouping
    groups grouse grove groves grow growers growing growl grown grows growth grub grudge
    gruesome grumpy grunt gs guarantee guaranteed guaranteeing guarantees guard guarded
    guardian guardians guarding guards gubernatorial guerrilla guess guessed guesses
    guessing guest guests guidance guide guided guideline guidelines guides guiding
    guild guilt guilty guinea guineas guise guitar guitarist guitars gulf gum gums gun
    gunfire gunman gunmen gunned gunner gunners gunpoint gunpowder guns gunshot gunshots
    guru gusts gut guts gutted gutter guy guys gym gymnasium gymnastics gyms gypsy ha
    habit habitable habitat habitats habits habitual hack hacked hacker hackers hacking
    hackney hacks had hah hail hailed hailing hails hair haircut hairdresser haired
    hairs hairstyle hairy hale half halftime halfway hall hallelujah hallmark halls
    hallucinations hallway hallways halo halt halted halves ham hamburger hamlet hammer
    hammered hammering hammers hammock hamper hampered hamster hamstring hand handbag
    handbags handbook handcuffs handed handful handgun handheld handicap handicapped
    handing handkerchief handle handled handler handlers handles handling handmade
    handouts hands handshake handsome handwriting handwritten handy hang hangar hanged
    hanger hanging hangout hangover hangs hank hanks happen happened happening happens
    happier happiest happily happiness happy harass harassed harassing harassment harbor
    hard hardcover harden hardened harder hardest hardly hardness hardship hardships
    hardware hardwood hardy hare harem harm harmed harmful harming harmless harmonic
    harmonious harmony harms harness harp harry harsh harshly hart harvest harvested
    harvesting has hash hashtag hashtags hassle haste hastily hasty hat hatch hatched
    hate hated hateful hater haters hates hath hating hatred hats haul hauled hauling
    haunt haunted haunting haunts have haven having havoc hawk hawking hawks hawthorn
    hay hays hazard hazardous hazards haze hazel hazy he head headache headaches headed
    header headers heading headlights headline headlines headmaster headphone headphones
    headquarters heads headset heal healed healer healing heals health healthcare
    healthier healthy heap heaps hear heard hearing hearings hears heart heartache
    heartbeat heartbreak heartbreaking heartbroken heartfelt heartland heartless hearts
    hearty heat heated heater heaters heath heather heating heats heaven heavenly
    heavens heavier heaviest heavily heavy heavyweight heck hectares hectic hector hedge
    hedgehog hedges heed heel heels hefty hegemony height heightened heights heinous
    heir heirs heist held helicopter helicopters helium helix hell hello helm helmet
    helmets help helped helper helpers helpful helping helpless helps hem hemisphere
    hemp hen hence hens hepatitis her herald herb herbal herbs herd herds here hereby
    hereditary herein heresy heritage hermit hero heroes heroic heroin heroine heroism
    herpes herring hers herself hes hesitant hesitate hesitation heterosexual hex hey hi
    hiatus hickory hicks hid hidden hide hideous hides hiding hierarchical hierarchy
    high higher highest highland highlands highlight highlighted highlighting highlights
    highly highness highs highway highways hijacked hike hikes hiking hilarious hill
    hills hillside hilly him himself hind hinder hindered hindsight hinge hinges hint
    hinted hints hip hippie hippo hips hire hired hires hiring his historian historians
    historic historical historically histories history hit hitch hitherto hits hitter
    hitters hitting hive hives ho hoard hoax hobbies hobbit hobby hoc hockey hoe hog
    hogan hogs hoist hold holder holders holding holdings holds hole holes holiday
    holidays holiness holistic hollow holly holocaust holy homage home homecoming
    homeland homeless homelessness homemade homeowner homeowners homepage homer homes
    homestead hometown homework homicide homie homogeneous homophobia homophobic
    homosexual homosexuality homosexuals hone honest honestly honesty honey honeymoon
    honor honorable honorary honored honoring honors hood hooded hoodie hook hooked
    hooker hookers hooking hooks hookup hoop hoops hooray hop hope hoped hopeful
    hopefully hopeless hopelessly hopes hoping hopped hopper hopping hops horde hordes
    horizon horizons horizontal horizontally hormonal hormone hormones horn hornet
    hornets horns horny horrendous horrible horribly horrid horrific horrified
    horrifying horror horrors horse horseback horsemen horsepower horses horseshoe
    horticultural horticulture hose hospice hospital hospitality hospitalized hospitals
    host hostage hostages hosted hostel hostess hostile hostilities hostility hosting
    hosts hot hotel hotels hotter hottest hound hounds hour hourly hours house housed
    household households housekeeper housekeeping houses housewife housewives housing
    hover hovering how however howl howling hp hr hrs ht hub hubby hubs hue huff hug
    huge hugely hugged hugging hugs huh hulk hull hum human humane humanitarian
    humanities humanity humans humble humbled humbly humid humidity humiliated
    humiliating humiliation humility humming humor humorous hump hundred hundreds hung
    hunger hungry hunk hunt hunted hunter hunters hunting hunts hurdle hurdles hurling
    hurricane hurricanes hurried hurry hurt hurtful hurting hurts husband husbands hush
    huskies husky hustle hut huts hwy hybrid hybrids hydra hydrated hydraulic hydrogen
    hygiene hymn hymns hype hyped hyper hyperbolic hypertension hypnosis hypnotic
    hypocrisy hypocrite hypocrites hypocritical hypotheses hypothesis hypothetical
    hysteria hysterical ice iceberg iced icing icon icons icy id idea ideal idealistic
    ideally ideals ideas identical identifiable identification identified identifier
    identifies identify identifying identities identity ideological ideologies ideology
    idiot idiotic idiots idle idol idols ids if ifs ignite ignited ignition ignorance
    ignorant ignore ignored ignores ignoring ii iii ill illegal illegally illegitimate
    illicit illiterate illness illnesses illuminate illuminated illuminating
    illumination illusion illusions illustrate illustrated illustrates illustrating
    illustration illustrations illustrator illustrious image imagery images imaginable
    imaginary imagination imaginative imagine imagined imagines imaging imagining imam
    imbalance imitate imitating imitation immaculate immature immediate immediately
    immense immensely immersed immersion immersive immigrant immigrants immigration
    imminent immoral immortal immortality immune immunity imp impact impacted impacting
    impacts impaired impairment impartial impatient impeached impeachment impeccable
    impedance impede impending imperative imperfect imperfections imperial imperialism
    imperialist impetus implant implanted implants implement implementation
    implementations implemented implementing implements implicated implication
    implications implicit implicitly implied implies imply implying import importance
    important importantly imported importing imports impose imposed imposes imposing
    imposition impossible impoverished impractical impress impressed impression
    impressions impressive imprint imprisoned imprisonment improbable impromptu improper
    improperly improve improved improvement improvements improves improving improvised
    impulse impulses impulsive impunity in inability inaccessible inaccurate inaction
    inactive inadequate inadvertently inappropriate inaugural inaugurated inauguration
    inbound inbox inc incapable incarcerated incarceration incarnation incense incentive
    incentives inception incest inch inches incidence incident incidental incidentally
    incidents incision incite inciting inclination incline inclined include included
    includes including inclusion inclusive income incomes incoming incompatible
    incompetence incompetent incomplete incomprehensible inconclusive inconsistencies
    inconsistency inconsistent inconvenience inconvenient incorporate incorporated
    incorporates incorporating incorporation incorrect incorrectly increase increased
    increases increasing increasingly incredible incredibly incremental increments
    incubation incubator incumbent incumbents incur incurred ind indebted indecent
    indeed indefinite indefinitely independence independent independently independents
    index indexed indexes indexing indicate indicated indicates indicating indication
    indications indicative indicator indicators indices indicted indictment indifference
    indifferent indigenous indigo indirect indirectly indispensable indistinguishable
    individual individuality individually individuals indoor indoors induce induced
    induces inducing inducted induction indulge indulgence industrial industrialized
    industries industry ineffective inefficient ineligible inept inequalities inequality
    inertia inevitable inevitably inexpensive inexperienced inexplicable infamous
    infancy infant infantry infants infect infected infection infections infectious
    infer inference inferior inferno inferred infertility infestation infested
    infidelity infiltrate infiltrated infiltration infinite infinitely infinity
    infirmary inflamed inflammation inflammatory inflatable inflated inflation inflict
    inflicted influence influenced influences influencing influential influenza influx
    info inform informal informally informant information informational informative
    informed informing informs infrared infrastructure infringement infused infusion
    ingenious ingenuity ingredient ingredients inhabit inhabitants inhabited inhalation
    inhale inherent inherently inherit inheritance inherited inhibit inhibition inhibits
    inhuman inhumane initial initially initials initiate initiated initiating initiation
    initiative initiatives inject injected injecting injection injections injunction
    injure injured injuries injuring injury injustice ink inland inlet inline inmate
    inmates inn innate inner inning innings innocence innocent innocents innovate
    innovation innovations innovative inorganic inpatient input inputs inquest inquire
    inquiries inquiry inquisition ins insane insanely insanity inscribed inscription
    inscriptions insect insects insecure insecurities insecurity insensitive inseparable
    insert inserted inserting insertion inserts inside insider insiders insides
    insidious insight insightful insights insignia insignificant insist insisted
    insistence insisting insists insolvency insomnia inspect inspected inspecting
    inspection inspections inspector inspectors inspiration inspirational inspire
    inspired inspires inspiring instability install installation installations installed
    installing installment installments instance instances instant instantaneous
    instantly instead instinct instinctively instincts institute instituted institutes
    institution institutional institutionalized institutions instruct instructed
    instructing instruction instructional instructions instructor instructors instrument
    instrumental instrumentation instruments insufficient insulated insulation insulin
    insult insulted insulting insults insurance insure insured insurer insurers
    insurgency insurgent insurgents insurrection int intact intake intangible integer
    integral integrate integrated integrating integration integrity intel intellect
    intellectual intellectually intellectuals intelligence intelligent intend intended
    intending intends intense intensely intensified intensify intensity intensive intent
    intention intentional intentionally intentions inter interact interacting
    interaction interactions interactive interacts intercept intercepted interception
    interceptions interchange interchangeable interconnected intercontinental
    intercourse interdisciplinary interest interested interesting interestingly
    interests interface interfaces interfere interfered interference interfering interim
    interior interiors intermediary intermediate intermittent intern internal internally
    international internationally internet interns internship internships interpersonal
    interplay interpret interpretation interpretations interpreted interpreter
    interpreting interracial interrogated interrogation interrupt interrupted
    interrupting interruption interruptions intersect intersection intersections
    interstate interstellar intertwined interval intervals intervene intervened
    intervening intervention interventions interview interviewed interviewer
    interviewing interviews intestinal intestine intestines intimacy intimate intimately
    intimidate intimidated intimidating intimidation into intolerable intolerance
    intolerant intoxicated intoxication intravenous intricate intrigue intrigued
    intriguing intrinsic intro introduce introduced introduces introducing introduction
    introductions introductory intruder intrusion intrusive intuition intuitive invade
    invaded invaders invading invalid invaluable invariably invasion invasions invasive
    invent invented inventing invention inventions inventive inventor inventories
    inventors inventory inverse inversion inverted invest invested investigate
    investigated investigates investigating investigation investigations investigative
    investigator investigators investing investment investments investor investors
    invests invincible invisible invitation invitational invitations invite invited
    invites inviting invoice invoke invoked involuntary involve involved involvement
    involves involving inward iodine ion ions ire iris iron ironic ironically irons
    irony irrational irregular irregularities irrelevant irresistible irrespective
    irresponsible irreversible irrigation irritated irritating irritation is island
    islanders islands isle isles isolate isolated isolating isolation isotope isotopes
    issuance issue issued issues issuing it italics itch itching itchy item items
    iteration itinerary its itself iv ivory ivy ix jab jack jackass jacked jacket
    jackets jackpot jacks jade jagged jaguar jaguars jail jailed jails jam jammed
    jamming jams janitor japan jar jargon jars jasmine jasper jaw jaws jay jays jazz
    jealous jealousy jeans jeep jeez jelly jellyfish jeopardy jerk jerking jerks jersey
    jerseys jet jets jewel jewelry jewels jigsaw jihad jimmy jingle jinx job jobless
    jobs jock jockey jog jogging john johns join joined joining joins joint jointly
    joints joke joked joker jokes joking jokingly jolly josh journal journalism
    journalist journalistic journalists journals journey journeys joy joyful joyous joys
    jubilee judge judged judgement judges judging judgment judgmental judgments judicial
    judiciary judo jug juggling juice juices juicy jumbo jump jumped jumper jumpers
    jumping jumps junction jungle junior juniors juniper junk junkie junta juries
    jurisdiction jurisprudence juror jurors jury just justice justices justifiable
    justification justified justifies justify justifying juvenile juveniles kale
    kangaroo karaoke karate karma kayak kc keel keen keep keeper keepers keeping keeps
    ken kennel kept kernel ketchup kettle key keyboard keyboards keynote keys keystone
    keyword keywords kg khan kick kicked kicker kicking kickoff kicks kid kidding kiddo
    kidnap kidnapped kidnapping kidney kidneys kids kill killed killer killers killing
    killings kills kilo kilograms kilometer kilometers kilos kin kind kinda kinder
    kindergarten kindle kindly kindness kindred kinds kinetic king kingdom kingdoms
    kings kink kinks kinky kinship kiss kissed kisses kissing kit kitchen kitchens kite
    kits kitten kittens kitty kiwi km knack knee kneel kneeling knees knew knife knight
    knights knit knitted knitting knives knob knock knocked knocking knockout knocks
    knot knots know knowing knowingly knowledge knowledgeable known knows knuckle
    knuckles kosher ks kudos la lab label labeled labeling labelled labelling labels
    labor laboratories laboratory laborers labs labyrinth lace laced laces lack lacked
    lacking lacks lacrosse lactose lacy lad ladder ladders laden ladies lads lady lag
    lager lagging lagoon laid lair lake lakes lam lama lamb lambs lame lament lamented
    lamp lamps lance land landed lander landfill landing landings landlord landlords
    landmark landmarks landowners lands landscape landscapes landscaping landslide lane
    lanes language languages lantern lanterns lap laps lapse laptop laptops large
    largely larger largest lark larvae lasagna laser lasers lash lashes last lasted
    lasting lastly lasts lat latch late lately latency latent later lateral latest latex
    latitude latte latter lattice lauded laugh laughable laughed laughing laughs
    laughter launch launched launcher launchers launches launching laundering laundry
    laureate laurel lava lavender lavish law lawful lawless lawmakers lawn lawns laws
    lawsuit lawsuits lawyer lawyers lax lay layer layered layers laying layout layouts
    lays laziness lazy lb lbs lea leach lead leader leaders leadership leading leads
    leaf leaflet leaflets leafs leafy league leagues leak leakage leaked leaking leaks
    lean leaned leaning leans leap leaping leaps learn learned learner learners learning
    learns learnt lease leased leases leash leasing least leather leave leaves leaving
    lecture lecturer lecturers lectures lecturing led ledge ledger lee leech left
    leftist leftists leftover leftovers lefty leg legacy legal legality legalization
    legalize legalized legally legend legendary legends legged leggings legion legions
    legislation legislative legislator legislators legislature legislatures legit
    legitimacy legitimate legitimately legs lei leisure lemme lemon lemonade lemons lend
    lender lenders lending lends length lengths lengthy lenient lens lenses lent leopard
    lesbian lesbians lesions less lessen lesser lesson lessons lest let lethal lets
    letter lettering letters letting lettuce leukemia level leveled leveling levels
    lever leverage levied levy lewd liabilities liability liable liaison liar liars lib
    libel liberal liberalism liberals liberate liberated liberating liberation
    libertarian liberties liberty librarian librarians libraries library lice licence
    licences license licensed licenses licensing lick licked licking lid lids lie lied
    lien lies lieu lieutenant life lifeboat lifeless lifeline lifelong lifespan
    lifestyle lifestyles lifetime lift lifted lifting lifts ligament light lighted
    lighten lighter lighthouse lighting lightly lightning lights lightweight like liked
    likelihood likely likened likeness likes likewise liking lilies lily limb limbo
    limbs lime limestone limit limitation limitations limited limiting limitless limits
    limo limousine limp linden line lineage linear linebacker lined lineman linen liner
    liners lines lineup linger lingerie lingering linguistic linguistics lining link
    linkage linked linking links lion lions lip lipid lips lipstick liquid liquidation
    liquidity liquids liquor list listed listen listened listener listeners listening
    listens listing listings lists lit lite liter literacy literal literally literary
    literate literature liters lithium litigation litter little liturgy live lived
    livelihood lively liver lives livestock living lizard lizards lo load loaded loading
    loads loaf loan loaned loans loathing lobby lobbying lobbyists lobe lobes lobster
    local localities locality localization localized locally locals locate located
    locating location locations lock locked locker locking lockout locks loco locomotive
    locomotives locus lodge lodged lodges lodging loft lofty log logged logging logic
    logical logically login logistical logistics logo logos logs lollipop lone
    loneliness lonely long longer longest longevity longing longitude longitudinal
    longtime look looked looking lookout looks loom looming looms loop loophole loops
    loose loosely loosen loot looted looting lord lords lordship lore lorry lose loser
    losers loses losing loss losses lost lot lotion lots lottery lotto lotus loud louder
    loudest loudly lounge lousy lovable love loved lovely lover lovers loves loving
    lovingly low lower lowered lowering lowers lowest lowly lows loyal loyalists loyalty
    ls lube lucid luck luckily lucky lucrative ludicrous luggage lumber luminous lump
    lumps lunar lunatic lunch luncheon lunches lunchtime lung lungs lupus lure lured
    lurking lush lust luxurious luxury lying lymph lymphoma lynch lyric lyrical lyrics
    ma mace machete machine machinery machines macho macro mad madam madame madden made
    madly madman madness madras maestro magazine magazines magic magical magically
    magician magistrate magistrates magma magnesium magnet magnetic magnets magnificent
    magnitude magnolia magnum mahogany maid maiden maids mail mailbox mailed mailing
    mails main mainland mainly mains mainstream maintain maintained maintaining
    maintains maintenance maize majestic majesty major majority majors make maker makers
    makes makeshift makeup making malaria male males malfunction malice malicious
    malignant mall malls malnutrition malpractice malt malware mama mamma mammal
    mammalian mammals mammoth man manage manageable managed management manager
    managerial managers manages managing mandarin mandate mandated mandates mandatory
    mane maneuver maneuvers manga mango manhood mania maniac manic manifest
    manifestation manifestations manifested manifesto manifests manifold manipulate
    manipulated manipulating manipulation manipulative mankind manly manned manner
    manners manning manor manpower mans mansion mansions manslaughter mantle mantra
    manual manually manuals manufacture manufactured manufacturer manufacturers
    manufactures manufacturing manure manuscript manuscripts many map maple mapped
    mapping maps mar marathon marble marbles march marched marches marching mare
    margarita margin marginal marginally margins maria marijuana marina marine mariners
    marines marital maritime mark marked markedly marker markers market marketed
    marketers marketing marketplace markets marking markings marks marlins maroon
    marquee marquis marriage marriages married marries marrow marry marrying mars marsh
    marshal marshals marshes marshmallow mart martial martian martin martini martins
    martyr martyrdom martyrs marvel marvelous mas mascara mascot masculine masculinity
    mash mashed mask masked masking masks mason masonic masonry mass massacre massacred
    massacres massage masses massive massively mast master mastered mastering mastermind
    masterpiece masterpieces masters mastery masturbate masturbating masturbation mat
    match matched matches matching matchmaking mate material materially materials
    maternal maternity mates math mathematical mathematically mathematician
    mathematicians mathematics mating matrices matrix mats matt matte matter mattered
    matters mattress mature matured maturing maturity maverick mavericks max maxim
    maximize maximizing maximum may maybe mayhem mayo mayonnaise mayor mayoral mayors
    maze me mead meadow meadows meal meals mean meaning meaningful meaningless meanings
    means meant meantime meanwhile measles measurable measure measured measurement
    measurements measures measuring meat meatballs meats mecca mechanic mechanical
    mechanically mechanics mechanism mechanisms med medal medalist medals meddling media
    medial median mediate mediated mediation mediator medic medical medically medication
    medications medicinal medicine medicines medics medieval mediocre mediocrity
    meditate meditation medium mediums medley meek meet meeting meetings meets meg meh
    melancholy melanoma mellow melodic melodies melody melon melt meltdown melted
    melting melts member members membership memberships membrane membranes meme memes
    memo memoir memoirs memorabilia memorable memorandum memorial memorials memories
    memorize memory men menace menacing mend meningitis menopause menstrual mental
    mentality mentally mention mentioned mentioning mentions mentor mentoring mentors
    menu menus meow mercantile mercenaries mercenary merchandise merchandising merchant
    merchants merciful mercury mercy mere merely merge merged merger mergers merging
    meridian merit merits mermaid merry mesa mesh mess message messages messed messenger
    messengers messes messiah messing messy met meta metabolic metabolism metal metallic
    metals metaphor metaphors metaphysical meteor meteorite meteorological meteorology
    meter meters methane method methodologies methodology methods meticulous metric
    metrics metro metropolis metropolitan mg mi mice mickey microbes microbiology
    microorganisms microphone microphones microscope microscopic microscopy microwave
    mid midday middle midget midland midlands midnight midst midterm midterms midtown
    midway midwife might mighty migraine migrant migrants migrate migrated migrating
    migration migratory mike mil mild mildly mile mileage miles milestone milestones
    milf militant militants military militia militias milk milking milky mill millennia
    millennial millennium miller millimeter milling million millionaire millionaires
    millions mills mimic min mind minded mindful mindfulness minding mindless minds mine
    mined miner mineral minerals miners mines mingle mini miniature minimal minimalist
    minimize minimizing minimum mining minions minister ministerial ministers ministries
    ministry mink minor minorities minority minors mint minus minute minutes miracle
    miracles miraculous miraculously mirage mirror mirrored mirrors miscarriage
    miscellaneous mischief mischievous misconception misconceptions misconduct
    misdemeanor miserable miserably misery misfortune misguided misinformation mislead
    misleading misled misogyny misplaced miss missed misses missile missiles missing
    mission missionaries missionary missions mist mistake mistaken mistakenly mistakes
    mister mistress misty misunderstand misunderstanding misunderstood misuse mitigate
    mitigating mitigation mitt mix mixed mixer mixes mixing mixture ml mm mo moan
    moaning moans moat mob mobile mobility mobilization mobilize mobilized mobs mock
    mocked mockery mocking mod modal mode model modeled modeling modelled modelling
    models modem moderate moderated moderately moderates moderation moderator modern
    modernism modernist modernity modernization modes modest modesty modification
    modifications modified modify modifying mods modular modulation module modules moist
    moisture mold molded molding molds mole molecular molecule molecules molested molten
    mom moment momentarily moments momentum momma mommy moms monarch monarchs monarchy
    monasteries monastery monetary money monies monitor monitored monitoring monitors
    monk monkey monkeys monks mono monograph monologue monopoly monoxide monsieur
    monsoon monster monsters monstrous montage month monthly months monument monumental
    monuments moo mood moods moody moon moonlight moons moor moors moose moot mop moral
    morale morality morally morals morbid more moreover morning mornings morocco moron
    morons morphine morphological morphology morrow mortal mortality mortals mortar
    mortars mortgage mortgages mos mosaic mosque mosques mosquito mosquitoes moss most
    mostly motel moth mother motherboard motherfucker motherfuckers motherfucking
    motherhood mothers moths motif motifs motion motions motivate motivated motivates
    motivating motivation motivational motivations motive motives motor motorbike
    motorcycle motorcycles motorists motorized motors motorway motto mound mounds mount
    mountain mountainous mountains mounted mounting mounts mourn mourning mouse
    moustache mouth mouthpiece mouths movable move moved movement movements mover movers
    moves movie movies moving mph ms mu much muck mucus mud muddy muffin muffins mug
    mugs mulberry mule multi multicultural multimedia multinational multiplayer multiple
    multiples multiplication multiplied multiplier multiply multitude mum mummy mundane
    municipal municipalities municipality munitions mural murals murder murdered
    murderer murderers murdering murderous murders murky muscle muscles muscular muse
    museum museums mushroom mushrooms music musical musically musicals musician
    musicians musk must mustache mustang mustard muster mustered mutant mutants mutation
    mutations mute muted mutilated mutilation mutiny mutual mutually muzzle my myriad
    myrtle myself mysteries mysterious mysteriously mystery mystic mystical myth
    mythical mythology myths nab nag nagging nail nailed nails naive naked name named
    nameless namely names naming nanny nap napkin narcissistic narcotics narrated
    narration narrative narratives narrator narrow narrowed narrower narrowing narrowly
    narrows nasal nasty natal nation national nationalism nationalist nationalists
    nationalities nationality nationally nationals nations nationwide native natives
    nativity natural naturalist naturally nature naughty nausea nautical naval navigate
    navigating navigation navigator navy nay near nearby nearer nearest nearing nearly
    neat neatly nebula necessarily necessary necessities necessity neck necklace
    necklaces necks nectar need needed needing needle needles needless needs needy
    negative negatively negatives negativity neglect neglected neglecting negligence
    negligent negligible negotiable negotiate negotiated negotiating negotiation
    negotiations negotiator neighbor neighborhood neighborhoods neighboring neighbors
    neither nemesis neon neonatal nephew nephews nerd nerds nerdy nerve nerves nervous
    nervously nest nesting nests net nets netting network networking networks neural
    neurological neurology neuron neurons neutral neutrality neutralize neutron never
    nevertheless new newbie newborn newcomer newcomers newer newest newly news
    newsletter newspaper newspapers newt newton next nexus nice nicely nicer nicest
    niche nick nickel nickelodeon nickname nicknamed nicknames nicotine niece nifty
    nigga niggas nigger nigh night nightclub nightingale nightlife nightly nightmare
    nightmares nights nighttime nil nine nineteen nineteenth nineties ninety ninja ninth
    nip nipple nipples nirvana nitrate nitrogen no nobility noble nobles nobody
    nocturnal nod nodded nodding node nodes nods noel noise noises noisy nomadic
    nomenclature nominal nominate nominated nominating nomination nominations nominee
    nominees non none nonetheless nonexistent nonfiction nonlinear nonprofit nonsense
    nonstop noodle noodles nook noon nope nor norm normal normalized normally norms
    north northbound northeast northeastern northern northward northwest northwestern
    nos nose nosed noses nostalgia nostalgic not notable notably notation notch note
    notebook notebooks noted notes noteworthy nothing notice noticeable noticeably
    noticed notices noticing notification notifications notified notify noting notion
    notions notoriety notorious notoriously notwithstanding noun nouns nova novel
    novelist novels novelty novice now nowadays nowhere nozzle nu nuanced nuances
    nuclear nuclei nucleus nude nudes nudge nudity nugget nuggets nuisance nuke nukes
    null numb number numbered numbering numbers numerical numerous nun nuns nurse
    nursery nurses nursing nurture nurturing nut nutrient nutrients nutrition
    nutritional nutritious nuts nutshell nutty nylon oak oaks oasis oath oatmeal oats
    obedience obedient obese obesity obey obituary object objected objection objections
    objective objectively objectives objects obligated obligation obligations obligatory
    obliged oblique oblivion oblivious obnoxious obscene obscure obscured obscurity
    observance observation observational observations observatory observe observed
    observer observers observes observing obsessed obsession obsessive obsolete obstacle
    obstacles obstruction obtain obtained obtaining obvious obviously occasion
    occasional occasionally occasions occult occupancy occupants occupation occupational
    occupations occupied occupies occupy occupying occur occurred occurrence occurrences
    occurring occurs ocean oceanic oceans octopus odd oddly odds ode odor odyssey of off
    offend offended offender offenders offending offense offenses offensive offer
    offered offering offerings offers office officer officers offices official
    officially officials officiating offline offs offset offshore offside offspring oft
    often oh oil oils oily okay old older oldest olive olives ombudsman omega omen
    ominous omission omitted omnibus on once oncology one ones oneself ongoing onion
    onions online only onset onslaught onto onward onwards oops op opal opaque open
    opened opener opening openings openly openness opens opera operas operate operated
    operates operating operation operational operations operative operatives operator
    operators opinion opinions opioid opium opponent opponents opportunities opportunity
    oppose opposed opposes opposing opposite opposites opposition oppressed oppression
    oppressive ops opt opted optic optical optics optimal optimism optimistic
    optimization optimize optimized optimum opting option optional options opus or
    oracle oral orally orange oranges orb orbit orbital orbiting orbits orchard orchards
    orchestra orchestral orchestrated orchid orchids ordained ordeal order ordered
    ordering orderly orders ordinance ordinances ordinarily ordinary ordination ordnance
    ore organ organic organism organisms organization organizational organizations
    organize organized organizer organizers organizing organs orgasm orgasms orgy orient
    oriental orientation oriented origin original originality originally originals
    originate originated originates originating origins orioles ornament ornamental
    ornaments ornate orphan orphanage orphaned orphans orthodox orthodoxy ostensibly
    other others otherwise otter ottoman ouch ought ounce ounces our ours ourselves
    ousted out outage outback outbreak outbreaks outburst outcome outcomes outcry
    outdated outdoor outdoors outer outfit outfits outgoing outing outlaw outlawed
    outlaws outlet outlets outline outlined outlines outlining outlook outnumbered
    outpatient outpost output outputs outrage outraged outrageous outreach outright outs
    outset outside outsider outsiders outskirts outsourcing outspoken outstanding
    outward outweigh ova oval ovarian ovaries ovation oven ovens over overall overboard
    overcame overcome overcoming overdose overdrive overdue overflow overflowing
    overgrown overhaul overhead overheard overland overlap overlapping overlay overload
    overloaded overlook overlooked overlooking overlooks overly overnight overpriced
    overrated override overruled overrun overs oversaw overseas oversee overseeing
    overseen oversees overshadowed oversight oversized overt overtake overtaken
    overthrow overtime overtly overturn overturned overview overweight overwhelm
    overwhelmed overwhelming overwhelmingly ow owe owed owes owing owl owls own owned
    owner owners ownership owning owns ox oxford oxidation oxide oxygen oyster oysters
    oz ozone pa pace paced paces pacific pacing pack package packaged packages packaging
    packed packer packers packet packets packing packs pact pad padded padding paddle
    paddy padres pads pagan page pageant pages paid pain painful painfully painkillers
    painless pains paint painted painter painters painting paintings paints pair paired
    pairing pairs paisley pajamas pal palace palaces palate pale palette palladium
    pallet palm palms palpable pals palsy pamphlet pamphlets pan pancake pancakes
    pancreas pancreatic panda pandas pandemic panel panels panic panicked panicking
    panorama panoramic pans pant pantheon panther panthers panties pantry pants pap papa
    papal paper paperback papers paperwork par parachute parade parades paradigm
    paradise paradox paragraph paragraphs parallel parallels paralysis paralyzed
    paramedic paramedics parameter parameters paramilitary paramount paranoia paranoid
    paranormal parasite parasites parasitic parcel parcels parchment pardon parent
    parental parentheses parenthood parenting parents parish parishes parity park parked
    parking parks parkway parliament parliamentary parlor parody parole parrot parry
    parsley parsons part partake parted partial partially participant participants
    participate participated participates participating participation particle particles
    particular particularly particulars parties parting partisan partition partitions
    partly partner partnered partnering partners partnership partnerships partridge
    parts party partying pas pasha pass passage passages passed passenger passengers
    passer passes passing passion passionate passionately passions passive passport
    passports password passwords past pasta paste pastel pastor pastoral pastors pastry
    pasture pastures pat patch patched patches patent patented patents paternal
    paternity path pathetic pathogen pathogens pathological pathologist pathology paths
    pathway pathways patience patient patiently patients patio patriarch patriarchal
    patriarchy patriot patriotic patriotism patriots patrol patrolling patrols patron
    patronage patrons pats patsy pattern patterned patterns patty pause paused pauses
    pave paved pavement pavilion paving paw pawn paws pay payable paycheck payday payer
    payers paying payload payment payments payoff payroll pays pct pd pea peace peaceful
    peacefully peacekeeping peach peaches peacock peak peaked peaking peaks peanut
    peanuts pear pearl pearls pears peas peasant peasants peat pebble pebbles peck
    peculiar pedagogy pedal pedals pedestal pedestrian pedestrians pediatric pediatrics
    pedigree pee peeing peek peel peeled peeling peep peer peers peg pelicans pellets
    pelvic pelvis pen penal penalties penalty penance pence pencil pencils pendant
    pending pendulum penetrate penetrated penetrating penetration penguin penguins
    peninsula penis penitentiary penned pennies penny pens pension pensioners pensions
    pentagon penthouse people peoples pep pepper peppers per perceive perceived percent
    percentage percentages perception perceptions perch perched percussion perennial
    perfect perfected perfection perfectly perform performance performances performed
    performer performers performing performs perfume perhaps peril perilous perimeter
    period periodic periodical periodically periodicals periods peripheral periphery
    perish perished perjury perk perks perm permanent permanently permissible permission
    permit permits permitted permitting peroxide perpendicular perpetrated perpetrator
    perpetrators perpetual perpetually perpetuate persecuted persecution perseverance
    persist persisted persistence persistent persists person persona personal
    personalities personality personalized personally personnel persons perspective
    perspectives persuade persuaded persuasion persuasive pertaining pertinent pervasive
    perverse pervert perverted pesos pessimistic pest pesticide pesticides pests pet
    petals peter peters petite petition petitions petrol petroleum pets petty pew pg
    phantom pharaoh pharmaceutical pharmaceuticals pharmacies pharmacist pharmacists
    pharmacology pharmacy phase phased phases phenomena phenomenal phenomenon
    philanthropic philanthropist philanthropy philharmonic philosopher philosophers
    philosophical philosophies philosophy phoebe phoenix phone phoned phones phony
    phosphate phosphorus photo photograph photographed photographer photographers
    photographic photographing photographs photography photon photons photos phrase
    phrases physical physically physician physicians physicist physicists physics
    physiological physiology physique pi pianist piano piazza pick picked picket picking
    pickle pickled pickles picks pickup pickups picky picnic pictorial picture pictured
    pictures picturesque pie piece pieces pier pierce pierced piercing piers pies pig
    pigeon pigeons piggy pigment pigments pigs pike pile piled piles pilgrim pilgrimage
    pilgrims piling pill pillar pillars pillow pillows pills pilot pilots pimp pin pinch
    pinched pine pineapple pines ping pink pinky pinnacle pinned pinning pinpoint pins
    pint pinto pints pioneer pioneered pioneering pioneers pious pip pipe pipeline
    pipelines piper pipes piping piracy pirate pirates piss pissed pisses pissing pistol
    pistols piston pistons pit pitch pitched pitcher pitchers pitches pitching pitfalls
    pitiful pits pitted pity pivot pivotal pixel pixels pixie pizza pizzas pl place
    placebo placed placement placements places placing plagiarism plague plagued plaid
    plain plainly plains plaintiff plaintiffs plan plane planes planet planetary planets
    plank planks planned planner planners planning plans plant plantation plantations
    planted planting plants plaque plaques plasma plaster plastered plastic plastics
    plate plateau plated plates platform platforms plating platinum platonic platoon
    platter plausible play playable playback playboy played player players playful
    playground playhouse playing playlist playlists playoff playoffs plays playwright
    plaza plea plead pleaded pleading pleads pleas pleasant pleasantly please pleased
    pleases pleasing pleasure pleasures pledge pledged pledges plentiful plenty plethora
    plight plot plots plotted plotting plow ploy pluck plucked plug plugged plugin plugs
    plum plumber plumbing plume plump plunge plunged plural plurality plus plush
    plutonium ply plywood pneumonia poaching pocket pockets pod podcast podcasts podium
    pods poem poems poet poetic poetry poets poignant point pointed pointer pointers
    pointing pointless points poised poison poisoned poisoning poisonous poisons poke
    poked poker poking pol polar polarization polarized pole poles police policeman
    policemen policies policing policy polio polish polished polishing polite politely
    political politically politician politicians politico politics polka poll polled
    pollen polling polls pollutants polluted pollution polo polymer polymers polytechnic
    pond ponder ponds ponies pony pooh pool pools poop poor poorer poorest poorly pop
    popcorn pope popped popping poppy pops populace popular popularity popularly
    populated population populations populist populous porcelain porch pore pores pork
    porn porno pornographic pornography porous port portable portal portals porter
    portfolio portfolios portion portions portrait portraits portray portrayal portrayed
    portraying portrays ports pose posed poses posh posing position positioned
    positioning positions positive positively positives posse possess possessed
    possesses possessing possession possessions possessive possibilities possibility
    possible possibly post postage postal postcard postcards postdoctoral posted poster
    posterior posters postgraduate posting postings postmaster postpone postponed posts
    posture postwar pot potassium potato potatoes potency potent potential potentially
    potion pots potter pottery potty pouch poultry pound pounded pounding pounds pour
    poured pouring pours poverty powder powdered powders power powered powerful
    powerfully powerhouse powering powerless powers pp practical practically practice
    practiced practices practicing practise practised practising practitioner
    practitioners pragmatic prairie praise praised praises praising prank pranks pray
    prayed prayer prayers praying preach preached preacher preachers preaching
    precarious precaution precautions preceded precedence precedent preceding precinct
    precious precipitation precise precisely precision precursor predator predators
    predatory predecessor predecessors predetermined predicament predict predictable
    predicted predicting prediction predictions predictive predictor predicts
    predominant predominantly preface prefecture prefer preferable preferably preference
    preferences preferential preferred preferring prefers prefix pregnancies pregnancy
    pregnant prehistoric prejudice prejudices preliminary prelude premature prematurely
    premier premiere premiered premieres premiers premise premises premium premiums
    prenatal preoccupied prep prepaid preparation preparations preparatory prepare
    prepared preparedness prepares preparing preposterous prepping prequel prerequisite
    pres preschool prescribe prescribed prescribing prescription prescriptions presence
    present presentation presentations presented presenter presenting presently presents
    preservation preserve preserved preserves preserving presided presidency president
    presidential presidents presiding press pressed presses pressing pressure pressured
    pressures pressuring prestige prestigious presumably presume presumed presumption
    pretend pretended pretending pretends pretentious pretext prettier prettiest pretty
    prevail prevailed prevailing prevalence prevalent prevent preventable preventative
    prevented preventing prevention preventive prevents preview previews previous
    previously prey price priced priceless prices pricey pricing prick pride priest
    priesthood priests primal primaries primarily primary primate primates prime primed
    primer primitive prince princes princess princesses principal principally principals
    principle principles print printed printer printers printing prints prior priorities
    prioritize priority prism prison prisoner prisoners prisons pristine privacy private
    privately privatization privilege privileged privileges privy prize prized prizes
    pro proactive probabilities probability probable probably probate probation probe
    probes probing problem problematic problems procedural procedure procedures proceed
    proceeded proceeding proceedings proceeds process processed processes processing
    procession processor processors proclaim proclaimed proclaiming proclamation proctor
    procure procurement prod prodigy produce produced producer producers produces
    producing product production productions productive productivity products prof
    professed profession professional professionalism professionally professionals
    professions professor professors proficiency proficient profile profiles profiling
    profit profitability profitable profits profound profoundly prognosis program
    programme programmed programmer programmers programmes programming programs progress
    progressed progresses progressing progression progressive progressively progressives
    prohibit prohibited prohibiting prohibition prohibits project projected projectile
    projecting projection projections projector projects proliferation prolific prologue
    prolong prolonged prom promenade prominence prominent prominently promise promised
    promises promising promo promote promoted promoter promoters promotes promoting
    promotion promotional promotions prompt prompted prompting promptly prompts prone
    pronoun pronounce pronounced pronouns pronunciation proof proofs prop propaganda
    propagation propane propel propelled propeller propensity proper properly properties
    property prophecies prophecy prophet prophetic prophets proponent proponents
    proportion proportional proportions proposal proposals propose proposed proposes
    proposing proposition proprietary proprietor props propulsion pros prose prosecute
    prosecuted prosecuting prosecution prosecutions prosecutor prosecutors prospect
    prospective prospects prospectus prosper prosperity prosperous prostate prosthetic
    prostitute prostitutes prostitution protagonist protagonists protect protected
    protecting protection protections protective protector protectors protects protein
    proteins protest protestant protestants protested protesters protesting protestors
    protests protocol protocols proton prototype prototypes protracted proud proudly
    prove proved proven provenance proverb proverbial proverbs proves provide provided
    providence provider providers provides providing province provinces provincial
    proving provision provisional provisions provocation provocative provoke provoked
    provoking provost prowess proximity proxy prudent psalm psalms pseudo psych psyche
    psychedelic psychiatric psychiatrist psychiatrists psychiatry psychic psycho
    psychological psychologically psychologist psychologists psychology psychopath
    psychosis psychotherapy psychotic pt pub puberty public publication publications
    publicity publicized publicly publish published publisher publishers publishes
    publishing pubs puck pudding puddle pueblo puff puffy puke pull pulled pulling pulls
    pulmonary pulp pulpit pulse pulses puma pump pumped pumping pumpkin pumpkins pumps
    pun punch punched punches punching punctuation puncture pundits punish punishable
    punished punishing punishment punishments punitive punk puns punt pup pupil pupils
    puppet puppets puppies puppy pups purchase purchased purchaser purchasers purchases
    purchasing pure purely purest purge purification purified purity purple purported
    purpose purposely purposes purse pursuant pursue pursued pursuing pursuit pursuits
    push pushed pushes pushing pussies pussy put puts putt putting puzzle puzzled
    puzzles puzzling pyramid pyramids python qt quad quadrant quadruple quail quaint
    quake qualification qualifications qualified qualifier qualifiers qualifies qualify
    qualifying qualitative qualities quality quantify quantitative quantities quantity
    quantum quarantine quarrel quarry quarter quarterback quarterbacks quarterfinals
    quarterly quarters quartet quartz quasi quay queen queens queer queries query quest
    question questionable questioned questioning questionnaire questions quests queue
    queues quick quicker quickest quickly quid quiet quieter quietly quilt quirk quirky
    quit quite quits quitting quiz quota quotas quotation quotations quote quoted quotes
    quoting rabbi rabbit rabbits rabid rabies raccoon race raced racer racers races
    racial racially racing racism racist racists rack racket racking racks radar radial
    radiant radiation radiator radical radically radicals radio radioactive radiology
    radios radius raffle raft rag rage ragged raging rags raid raided raider raiders
    raiding raids rail railing railroad railroads rails railway railways rain rainbow
    rainbows rained rainfall rainforest raining rains rainy raise raised raises raising
    raisins raja rake rallied rallies rally rallying ram rambling ramifications ramp
    rampage rampant ramps rams ran ranch random randomized randomly randy rang range
    ranged ranger rangers ranges ranging rank ranked ranking rankings ranks ransom rant
    ranting rants rap rape raped rapes rapid rapidly rapids raping rapist rapists rapper
    rappers rapping rapport rapture rare rarely rarity rash raspberry rat ratchet rate
    rated rates rather ratification ratified rating ratings ratio ration rational
    rationale rations ratios rats rattle rattled rattling ravaged rave raven ravens
    ravine raving raw ray rays razor re reach reached reaches reaching react reacted
    reacting reaction reactionary reactions reactive reactor reactors reacts read
    readable reader readers readership readily readiness reading readings reads ready
    reaffirmed real realism realist realistic realistically realities reality
    realization realize realized realizes realizing really realm realms realtor realty
    reap reaper rear reason reasonable reasonably reasoned reasoning reasons reassurance
    reassure reassuring rebate rebates rebel rebellion rebellious rebels rebirth reborn
    rebound rebounds rebuild rebuilding rebuilt recall recalled recalling recalls recap
    recapture receipt receipts receive received receiver receivers receives receiving
    recent recently reception receptionist receptions receptive receptor receptors
    recess recession recharge recipe recipes recipient recipients reciprocal recital
    recite recited reciting reckless reckon reckoned reckoning reclaim reclaimed
    reclamation recognition recognizable recognize recognized recognizes recognizing
    recoil recollection recommend recommendation recommendations recommended
    recommending recommends reconcile reconciled reconciliation reconnaissance reconnect
    reconsider reconstruct reconstructed reconstruction record recorded recorder
    recorders recording recordings records recount recounted recounts recourse recover
    recovered recovering recovers recovery recreate recreated recreation recreational
    recruit recruited recruiter recruiters recruiting recruitment recruits rectangle
    rectangular rectify rector recurrence recurrent recurring recycle recycled recycling
    red reddish redeem redeemed redemption redesign redesigned redevelopment redhead
    redirect redistribution redneck redo redress reds redskins reduce reduced reduces
    reducing reduction reductions redundancy redundant redwood reed reef reefs reel
    reelection reels reeves ref refer referee referees reference referenced references
    referencing referendum referral referrals referred referring refers refill refine
    refined refinement refineries refinery refining reflect reflected reflecting
    reflection reflections reflective reflects reflex reflexes reform reformation
    reformed reformer reformers reforming reforms refrain refresh refreshed refreshing
    refrigeration refrigerator refs refuge refugee refugees refund refunded refunds
    refurbished refusal refuse refused refuses refusing refute regain regained regal
    regard regarded regarding regardless regards regency regenerate regeneration regent
    regents reggae regime regimen regiment regiments regimes region regional regions
    register registered registering registers registrar registration registrations
    registry regression regret regrets regretted regular regularly regulars regulate
    regulated regulates regulating regulation regulations regulator regulators
    regulatory rehab rehabilitation rehearsal rehearsals rehearsing reign reigned
    reigning reigns reimbursement rein reincarnation reindeer reinforce reinforced
    reinforcement reinforcements reinforces reinforcing reins reinstated reiterate
    reiterated reject rejected rejecting rejection rejects rejoice rejoin relapse relate
    related relates relating relation relational relations relationship relationships
    relative relatively relatives relativity relax relaxation relaxed relaxing relay
    relays release released releases releasing relegated relegation relentless
    relentlessly relevance relevant reliability reliable reliably reliance reliant relic
    relics relied relief relies relieve relieved relieving religion religions religious
    religiously relinquish relish relive reload relocate relocated relocating relocation
    reluctance reluctant reluctantly rely relying remain remainder remained remaining
    remains remake remanded remark remarkable remarkably remarked remarks rematch
    remedies remedy remember remembered remembering remembers remembrance remind
    reminded reminder reminders reminding reminds reminiscent remission remnant remnants
    remodeling remorse remote remotely removable removal remove removed removes removing
    remuneration renaissance renal rename renamed render rendered rendering renders
    rendezvous rendition renegade renew renewable renewal renewed renewing renounce
    renovated renovation renovations renowned rent rental rentals rented renters renting
    rents reopen reopened reopening reorganization rep repaid repair repaired repairing
    repairs reparations repay repayment repeal repealed repeat repeated repeatedly
    repeating repeats repel repent repentance repercussions repertoire repetition
    repetitive replace replaced replacement replacements replaces replacing replay
    replays replica replicate replicated replication replied replies reply replying
    report reported reportedly reporter reporters reporting reports repository represent
    representation representations representative representatives represented
    representing represents repressed repression reprint reprinted reproduce reproduced
    reproduction reproductive reps reptile reptiles republic republican republicans
    republics repulsive reputable reputation reputed request requested requesting
    requests require required requirement requirements requires requiring requisite
    resale rescue rescued rescues rescuing research researched researcher researchers
    researches researching resemblance resemble resembled resembles resembling resent
    resentment reservation reservations reserve reserved reserves reservoir reservoirs
    reset reside resided residence residences residency resident residential residents
    resides residing residual residue residues resign resignation resigned resigning
    resigns resilience resilient resin resist resistance resistant resisted resisting
    resists resolute resolution resolutions resolve resolved resolves resolving
    resonance resonant resonate resort resorted resorting resorts resource resources
    respect respectable respected respectful respectfully respecting respective
    respectively respects respiratory respite respond responded respondents responding
    responds response responses responsibilities responsibility responsible responsibly
    responsive rest restart restaurant restaurants rested resting restitution restless
    restoration restore restored restoring restrain restrained restraining restraint
    restraints restrict restricted restricting restriction restrictions restrictive
    restricts restroom restructuring rests result resultant resulted resulting results
    resume resumed resumes resurgence resurrected resurrection retail retailer retailers
    retain retained retainer retaining retains retake retaliation retard retarded
    retention rethink rethinking retina retinal retire retired retirees retirement
    retires retiring retreat retreated retreating retreats retribution retrieval
    retrieve retrieved retrospect retrospective return returned returning returns
    reunion reunite reunited reusable reuse rev revamp revamped reveal revealed
    revealing reveals revelation revelations revenge revenue revenues revered reverence
    reverend reversal reverse reversed reversible reversing revert reverted review
    reviewed reviewer reviewers reviewing reviews revise revised revising revision
    revisions revisit revisited revival revive revived reviving revoke revoked revolt
    revolution revolutionaries revolutionary revolutions revolve revolver revolves
    revolving reward rewarded rewarding rewards rewind rewrite rewriting rewritten
    rhetoric rhetorical rhino rhinos rhyme rhymes rhythm rhythmic rhythms rib ribbon
    ribbons ribs rice rich richer riches richest richly richness rick rid ridden riddle
    riddled ride rider riders rides ridge ridges ridicule ridiculed ridiculous
    ridiculously riding rife riff rifle rifles rift rig rigged rigging right righteous
    righteousness rightful rightfully rightly rights rigid rigorous rigs rim rims ring
    ringing rings rink rinse riot rioting riots rip ripe ripped ripper ripping ripple
    rips rise risen rises rising risk risked risking risks risky rite rites ritual
    rituals rival rivalries rivalry rivals river rivers riverside rm roach road roads
    roadside roadway roam roaming roar roaring roast roasted roasting rob robbed robber
    robberies robbers robbery robbing robe robes robin robot robotic robotics robots
    robust rock rocked rocker rocket rockets rocking rocks rocky rod rode rodent rodents
    rodeo rods roe roger rogers rogue role roles roll rolled roller rollers rolling
    rolls roman romance romances romantic roof roofing roofs rooftop rookie rookies room
    roommate roommates rooms rooster root rooted rooting roots rope ropes rosary rose
    rosemary roses roster rosy rot rotary rotate rotated rotating rotation rotational
    rotations rotor rotten rotting rouge rough roughly roulette round roundabout rounded
    rounder rounding rounds roundup route routed router routes routine routinely
    routines routing rover rovers row rowdy rowing rows royal royals royalties royalty
    rpm rs rub rubbed rubber rubbing rubbish rubble rubs ruby rudder rude rudimentary
    rue rug rugby rugged rugs ruin ruined ruining ruins rule ruled ruler rulers rules
    ruling rulings rum rumble rumor rumored rumors run runaway rundown rung runner
    runners running runoff runs runway runways rupees rupture ruptured rural ruse rush
    rushed rushes rushing rust rustic rusty ruthless rye saber sabotage sabres sac sack
    sacked sacks sacrament sacred sacrifice sacrificed sacrifices sacrificing sad
    saddened saddest saddle sadistic sadly sadness safari safe safeguard safeguarding
    safeguards safely safer safest safety saffron sag saga sage said sail sailed sailing
    sailor sailors sails saint saints sake salad salads salaries salary sale sales
    salesman salient saline saliva sally salmon salon saloon salsa salt salted salts
    salty salute salvage salvation samba same sample sampled samples sampling samurai
    sanction sanctioned sanctions sanctuary sand sandals sanders sands sandstone
    sandwich sandwiches sandy sane sang sanitary sanitation sanity sank sans sap
    sapphire sarcasm sarcastic sash sassy sat satanic satellite satellites satin satire
    satirical satisfaction satisfactory satisfied satisfies satisfy satisfying saturated
    saturation sauce sauces sauna sausage sausages savage savages savannah save saved
    saver saves saving savings savior saviour savvy saw sawyer sax saxophone say saying
    sayings says scale scaled scales scaling scalp scam scammers scams scan scandal
    scandalous scandals scanned scanner scanners scanning scans scar scarce scarcely
    scarcity scare scared scares scarf scariest scaring scarlet scarred scars scarves
    scary scatter scattered scattering scenario scenarios scene scenery scenes scenic
    scent scented scents schedule scheduled schedules scheduling schema schematic scheme
    schemes schizophrenia schizophrenic scholar scholarly scholars scholarship
    scholarships scholastic school schoolboy schooling schools science sciences
    scientific scientifically scientist scientists scissors sclerosis scoop scooter
    scope score scoreboard scored scoreless scorer scorers scores scoring scorn scorpion
    scotch scourge scout scouting scouts scramble scrambled scrambling scrap scrape
    scraped scraping scrapped scraps scratch scratched scratches scratching scream
    screamed screaming screams screen screened screening screenings screenplay screens
    screenshot screenshots screenwriter screw screwdriver screwed screwing screws script
    scripted scripts scripture scriptures scroll scrolling scrolls scrub scrubs scrutiny
    scuba sculpted sculptor sculpture sculptures scum scumbag sea seafood seal sealed
    sealing seals seam seaman seamless seams search searched searches searching sears
    seas seaside season seasonal seasonally seasoned seasoning seasons seat seated
    seating seats seaweed sec secession secluded second secondary seconded secondly
    seconds secrecy secret secretariat secretaries secretary secretive secretly secrets
    secs sect sectarian section sectional sections sector sectors sects secular secure
    secured securely secures securing securities security sedan sedentary sediment
    sediments seduce seduced seduction seductive see seed seeded seeding seedlings seeds
    seeing seek seeker seekers seeking seeks seem seemed seeming seemingly seems seen
    sees segment segmentation segments segregated segregation seismic seize seized
    seizing seizure seizures seldom select selected selecting selection selections
    selective selectively selector selects self selfie selfies selfish selfishness
    selfless sell seller sellers selling sells selves semantic semantics semen semester
    semi semiconductor semifinal semifinals seminal seminar seminars seminary senate
    senator senators send sender sending sends senior seniority seniors sensation
    sensational sensations sense sensed senseless senses sensibility sensible sensing
    sensitive sensitivity sensor sensors sensory sensual sent sentence sentenced
    sentences sentencing sentient sentiment sentimental sentiments sentinel separate
    separated separately separates separating separation separatist septic sequel
    sequels sequence sequences sequencing sequential sera serene serenity serge sergeant
    serial series serious seriously seriousness sermon sermons serpent serum servant
    servants serve served server servers serves service serviced servicemen services
    servicing serving sesame session sessions set setback setbacks sets setting settings
    settle settled settlement settlements settler settlers settles settling setup seven
    sevens seventeen seventeenth seventh seventies seventy sever several severance
    severe severed severely severity sew sewage sewer sewers sewing sewn sex sexes
    sexiest sexism sexist sexual sexuality sexually sexy sh shabby shack shade shaded
    shades shading shadow shadows shadowy shady shaft shafts shaggy shah shake shaken
    shaker shakes shaking shaky shale shall shallow shalt sham shaman shame shamed
    shameful shameless shaming shampoo shanghai shape shaped shapes shaping share shared
    shareholder shareholders shares sharia sharing shark sharks sharp sharpen sharper
    sharply shatter shattered shattering shave shaved shaving shawl she shear sheath
    shed shedding sheds sheen sheep sheer sheet sheets sheikh shelf shell shellfish
    shelling shells shelter sheltered shelters shelves shenanigans shepherd shepherds
    sheriff sheriffs sherry shes shield shielded shielding shields shift shifted
    shifting shifts shilling shillings shin shine shines shining shiny ship shipbuilding
    shipment shipments shipped shippers shipping ships shipyard shire shirt shirts shit
    shits shitting shitty shivering shock shocked shocker shocking shocks shoe shoes
    shone shook shoot shooter shooters shooting shootings shootout shoots shop shopper
    shoppers shopping shops shore shoreline shores short shortage shortages shortcomings
    shortcut shortcuts shorten shortened shortening shorter shortest shorthand shortly
    shorts shot shotgun shots should shoulder shoulders shout shouted shouting shouts
    shove shoved shovel shoving show showcase showcased showcases showcasing showdown
    showed shower showered showering showers showing shown showroom shows shrapnel shred
    shredded shreds shrimp shrine shrines shrink shrinking shroud shrub shrubs shrug
    shrugged shrunk shuffle shun shut shutdown shutout shuts shutter shutters shutting
    shuttle shy sibling siblings sic sick sickening sickle sickness side sided sidekick
    sideline sidelines sides sidewalk sidewalks sideways siding siege sierra sigh sighed
    sighs sight sighted sighting sightings sights sightseeing sigma sign signal
    signaling signalling signals signature signatures signed significance significant
    significantly signifies signify signing signings signs silence silenced silent
    silently silhouette silica silicon silicone silk silky silly silver sim similar
    similarities similarity similarly simmer simple simpler simplest simplicity
    simplified simplify simplistic simply sims simulate simulated simulation simulations
    simulator simultaneous simultaneously sin since sincere sincerely sincerity sinful
    sing singer singers singing single singled singles singleton sings singular
    singularity sinister sink sinking sinks sinner sinners sins sinus sip sipping sir
    sire siren sirens sis sissy sister sisters sit sitcom site sites sits sitter sitting
    situ situated situation situations six sixteen sixteenth sixth sixties sixty sizable
    size sizeable sized sizes sizing sizzling skate skateboard skateboarding skater
    skaters skates skating skeletal skeleton skeletons skeptical skepticism sketch
    sketches sketchy skewed ski skid skier skiers skies skiing skill skilled skillful
    skills skim skin skinned skinny skins skip skipped skipper skipping skips skirt
    skirts skis skit skull skulls sky skyline skyscraper skyscrapers slab slabs slack
    slag slain slam slammed slamming slams slander slang slant slap slapped slapping
    slaps slash slashed slate slated slaughter slaughtered slave slavery slaves slay
    slayer slaying sled sleek sleep sleeper sleeping sleepless sleeps sleepy sleeve
    sleeves slender slept slew slice sliced slices slicing slick slid slide slider
    slides sliding slight slightest slightly slim slime sling slip slipped slippers
    slippery slipping slips slit slogan slogans slope slopes sloppy slot slots slow
    slowed slower slowest slowing slowly slows sludge slug sluggish slum slumber slump
    slums slur slurs slut sluts sly smack smacked small smaller smallest smallpox smart
    smarter smartest smartphone smartphones smash smashed smashing smear smell smelled
    smelling smells smelly smile smiled smiles smiley smiling smith smiths smoke smoked
    smoker smokers smokes smoking smoky smooth smoother smoothie smoothly smug smuggled
    smuggling smurf snack snacks snag snail snails snake snakes snap snapped snapping
    snaps snapshot snare snatch snatched sneak sneakers sneaking sneaky sneeze sniff
    sniffing sniper snipers snippet snoop snoring snow snowball snowboarding snowfall
    snowflake snowman snowy snuck snuff so soak soaked soaking soap soaps soar soaring
    sob sobbing sober sobriety sobs soccer social socialism socialist socialists
    socialize socially societal societies society socioeconomic sociological sociology
    sock socket sockets socks sod soda sodium sofa soft softball soften softened softer
    softly software soggy soil soils sol solace solar sold soldier soldiers sole solely
    solemn soles solicitation solicitor solicitors solid solidarity solidly solids
    solitary solitude solo solos soluble solution solutions solve solved solvent solves
    solving some somebody someday somehow someone someones someplace something
    somethings sometime sometimes somewhat somewhere son sonar sonata song songs
    songwriter sonic sonny sons soon sooner soothe soothing sophisticated sophistication
    sophomore soprano sorcerer sorcery sore sorely sorority sorrow sorrows sorry sort
    sorta sorted sorting sorts sos sought soul soulful souls sound sounded sounding
    sounds soundtrack soup sour source sourced sources sourcing south southbound
    southeast southeastern southern southwest southwestern souvenir souvenirs sovereign
    sovereignty soviet soviets sow sox soy spa space spacecraft spaced spaces spaceship
    spacing spacious spade spades spaghetti spam spamming span spanking spanning spans
    spare spared spark sparked sparkle sparkling sparks sparrow sparse spartan spat
    spatial spawn spawned spawning speak speaker speakers speaking speaks spear spears
    spec special specialist specialists specialization specialize specialized
    specializes specializing specially specials specialties specialty species specific
    specifically specification specifications specifics specified specifies specify
    specifying specimen specimens specs spectacle spectacular spectator spectators
    spectra spectral spectroscopy spectrum speculate speculated speculation speculative
    sped speech speeches speechless speed speeding speeds speedway speedy spell spelled
    spelling spells spelt spend spending spends spent sperm sphere spheres spherical
    spice spices spicy spider spiders spies spike spiked spikes spill spilled spilling
    spills spin spinach spinal spine spines spinner spinning spinoff spins spiral spirit
    spirited spirits spiritual spirituality spiritually spit spite spitting splash
    spleen splendid splinter split splits splitting spoil spoiled spoiler spoilers
    spoiling spoils spoke spoken spokesman spokesperson spokeswoman sponge sponsor
    sponsored sponsoring sponsors sponsorship spontaneous spontaneously spooky spoon
    spoons sporadic spores sport sporting sports sportsman spot spotless spotlight spots
    spotted spotting spouse spouses sprang sprawling spray sprayed spraying sprays
    spread spreading spreads spreadsheet spree spring springs sprinkle sprinkled sprint
    sprinter sprite sprouts spruce sprung spun spur spurred spurs spy spying sq squad
    squadron squads square squared squarely squares squash squat squats squeeze squeezed
    squeezing squid squire squirrel squirrels squirt stab stabbed stabbing stability
    stabilization stabilize stabilized stabilizing stable stables stack stacked stacking
    stacks stadium stadiums staff staffed staffers staffing staffs stag stage staged
    stages staggered staggering staging stagnant stagnation stain stained staining
    stainless stains stair staircase stairs stairway stake stakes stale stalk stalked
    stalker stalking stalks stall stalled stalling stallion stalls stamina stamp stamped
    stampede stamping stamps stance stand standard standardized standards standby
    standing standings standoff standout standpoint stands staple staples star starboard
    starch stare stared stares staring stark starlight starred starring starry stars
    start started starter starters starting startled startling starts startup startups
    starvation starve starved starving stash stat state stated stately statement
    statements states statesman statewide static stating station stationary stationed
    stationery stations statistic statistical statistically statistics stats statue
    statues stature status statute statutes statutory staunch stay stayed staying stays
    stead steadfast steadily steady steak steaks steal stealing steals stealth steam
    steamed steamer steaming steel steep steer steered steering stein stellar stem
    stemmed stemming stems step stepfather stepmother stepped stepping steps stereo
    stereotype stereotypes stereotypical sterile sterling stern steroid steroids stew
    steward stewards stewardship stick sticker stickers sticking sticks sticky stiff
    stiffness stigma stiles still stills stimulate stimulated stimulates stimulating
    stimulation stimuli stimulus sting stink stinks stint stipulated stir stirred
    stirring stitch stitched stitches stitching stock stocked stocking stockings
    stockpile stocks stoic stoke stoked stokes stole stolen stomach stomp stomping stone
    stoned stoner stones stony stood stool stoop stop stoppage stopped stopping stops
    storage store stored stores storey stories storing storm stormed storming storms
    stormy story stout stove straight straighten straightened straightforward strain
    strained straining strains strait straits strand stranded strands strange strangely
    stranger strangers strangest strangled strap strapped straps strata strategic
    strategically strategies strategist strategy straw strawberries strawberry straws
    stray streak streaks stream streamed streaming streamline streamlined streams street
    streets strength strengthen strengthened strengthening strengthens strengths
    strenuous stress stressed stresses stressful stressing stretch stretched stretcher
    stretches stretching stricken strict stricter strictly stride strides strife strike
    striker strikers strikes striking strikingly string stringent strings strip stripe
    striped stripes stripped stripper strippers stripping strips strive strives striving
    stroke strokes stroking stroll strong stronger strongest stronghold strongly struck
    structural structurally structure structured structures struggle struggled struggles
    struggling strung strut stubborn stuck stud studded student students studied studies
    studio studios studs study studying stuff stuffed stuffing stuffs stumble stumbled
    stumbling stump stumps stun stung stunned stunning stunt stunts stupid stupidest
    stupidity sturdy sturgeon style styled styles styling stylish stylist stylistic sub
    subcommittee subconscious subdivision subdivisions subdued subject subjected
    subjective subjects sublime submarine submarines submerged submission submissions
    submissive submit submitted submitting subordinate subordinates subpoena subs
    subscribe subscribed subscriber subscribers subscription subscriptions subsection
    subsequent subsequently subset subsidiaries subsidiary subsidies subsidized subsidy
    substance substances substantial substantially substantive substitute substituted
    substitutes substitution substrate subtitle subtitles subtle subtly suburb suburban
    suburbs subversive subway succeed succeeded succeeding succeeds success successes
    successful successfully succession successive successor successors succumbed such
    suck sucked sucker suckers sucking sucks suction sudden suddenly sue sued suede
    suffer suffered sufferers suffering suffers suffice sufficient sufficiently suffrage
    sugar sugars sugary suggest suggested suggesting suggestion suggestions suggestive
    suggests suicidal suicide suicides suing suit suitability suitable suitably suitcase
    suite suited suites suits sulfate sulfur sulphur sultan sum summaries summarize
    summarized summarizes summary summed summer summers summertime summit summon
    summoned summons sums sun sunflower sung sunglasses sunk sunken sunlight sunny
    sunrise suns sunscreen sunset sunshine sup super superb superficial superintendent
    superior superiority superiors superman supermarket supermarkets supernatural
    supernova superpower superpowers superseded supersonic superstar superstars
    superstition superstitious supervise supervised supervising supervision supervisor
    supervisors supervisory supper supplement supplemental supplementary supplemented
    supplements supplied supplier suppliers supplies supply supplying support supported
    supporter supporters supporting supportive supports suppose supposed supposedly
    suppress suppressed suppressing suppression supremacist supremacy supreme surcharge
    sure surely surf surface surfaced surfaces surfer surfers surfing surge surgeon
    surgeons surgeries surgery surgical surname surpass surpassed surpassing surplus
    surprise surprised surprises surprising surprisingly surreal surrender surrendered
    surrendering surrey surrogate surround surrounded surrounding surroundings surrounds
    surveillance survey surveyed surveying surveyor surveys survival survive survived
    survives surviving survivor survivors susceptible sushi suspect suspected suspects
    suspend suspended suspending suspense suspension suspensions suspicion suspicions
    suspicious sustain sustainable sustained sustaining swag swagger swallow swallowed
    swallowing swallows swam swamp swamps swan swans swap swapped swapping swaps swarm
    swat sway swayed swear swearing swears sweat sweater sweaters sweating sweatshirt
    sweaty sweep sweeping sweeps sweet sweeter sweetest sweetheart sweetie sweetness
    sweets swell swelling swept swift swiftly swim swimmer swimmers swimming swimsuit
    swine swing swinging swings swipe swirl swirling switch switched switches switching
    swollen swoop sword swords swore sworn swung syllable syllables syllabus symbol
    symbolic symbolism symbols symmetric symmetrical symmetry sympathetic sympathies
    sympathy symphony symposium symptom symptoms synagogue sync synchronized syndicate
    syndrome synergy synod synonym synonymous synonyms synopsis syntax synthesis
    synthesized synthetic syringe syrup system systematic systematically systemic
    systems tab table tables tablespoon tablespoons tablet tablets tabloid taboo tabs
    tack tackle tackled tackles tackling tacky taco tacos tactic tactical tactics tad
    tag tagged tagging tags tail tailed tailor tailored tails tainted take taken takeoff
    takeover taker takers takes taking tale talent talented talents tales talk talked
    talking talks tall taller tallest tally tam tame tampering tan tandem tang tangent
    tangible tangled tango tank tanker tankers tanks tanned tanner tanning tantrum tap
    tape taped taper tapered tapering tapes tapestry taping tapped tapping taps tar
    target targeted targeting targets tariff tariffs tarot tart taser task tasked tasks
    taste tasted tastes tasting tasty tat tattoo tattooed tattoos taught tavern tax
    taxable taxation taxed taxes taxi taxing taxis taxpayer taxpayers tea teach teacher
    teachers teaches teaching teachings teal team teamed teaming teammate teammates
    teams teamwork tear tearing tears teas tease teased teaser teasing teaspoon tech
    technical technically technician technicians technique techniques techno
    technological technologically technologies technology tedious tee teen teenage
    teenager teenagers teens tees teeth tel telecommunication telecommunications
    telegram telegraph telephone telephones telescope telescopes televised television
    tell teller telling tells temp temper temperament temperance temperate temperature
    temperatures tempered tempest template templates temple temples tempo temporal
    temporarily temporary temps tempt temptation temptations tempted tempting ten tenant
    tenants tend tended tendencies tendency tender tenderness tenders tending tendon
    tends tennis tenor tens tense tension tensions tent tentacles tentative tentatively
    tenth tents tenure tequila term termed terminal terminals terminate terminated
    terminating termination terminator terminology terminus terms terrace terraces
    terrain terrestrial terrible terribly terrier terrific terrified terrifying
    territorial territories territory terror terrorism terrorist terrorists terry
    tertiary test testament tested tester testicles testified testify testifying
    testimonies testimony testing testosterone tests text textbook textbooks texted
    textile textiles texting texts textual texture textured textures than thank thanked
    thankful thankfully thanking thanks thanksgiving that thatcher thaw the theater
    theaters theatre theatres theatrical thee theft their theirs them thematic theme
    themes themselves then theologians theological theology theorem theoretical
    theoretically theories theorist theorists theory therapeutic therapeutics therapies
    therapist therapists therapy there thereafter thereby therefore therein thereof
    thermal thermometer these theses thesis theta they thick thicker thickness thief
    thieves thigh thighs thin thine thing things think thinker thinkers thinking thinks
    thinly thinner thinning third thirds thirst thirsty thirteen thirteenth thirties
    thirty this thistle tho thong thorn thorns thorough thoroughly those thou though
    thought thoughtful thoughts thousand thousands thrash thread threaded threads threat
    threaten threatened threatening threatens threats three threesome threshold
    thresholds threw thrice thrift thrill thrilled thriller thrilling thrills thrive
    thriving throat throats throbbing throne thrones throttle through throughout
    throughput throw throwback throwing thrown throws thru thrust thug thugs thumb
    thumbnail thumbs thumping thunder thunderstorm thunderstorms thus thwarted thy
    thyroid ti tic tick ticket tickets ticking tickle ticks tidal tide tides tidy tie
    tied tier tiers ties tiger tigers tight tighten tightened tightening tighter tightly
    tights tile tiles till tilt tilted tilting timber timbers time timed timeless
    timeline timelines timely timer timers times timetable timid timing tin tinder ting
    tinker tint tinted tiny tip tipped tipping tips tire tired tires tiring tissue
    tissues tit titan titanic titanium titans title titled titles tits to toad toast
    toasted toaster tobacco today toddler toddlers toe toes tofu together toilet toilets
    token tokens told tolerance tolerant tolerate tolerated toll tolls tom tomato
    tomatoes tomb tombs tombstone tome tomorrow ton tone toned tones tong tongue tongues
    tonic tonight tonne tonnes tons tony too took tool tools tooth toothbrush toothpaste
    top topic topical topics topless topography topology topped topping tops tor torch
    torches tore torment tormented torn tornado tornadoes torpedo torpedoes torque
    torrent torso tortoise torture tortured torturing toss tossed tossing tot total
    totaled totaling totalitarian totally totals tote touch touchdown touchdowns touched
    touches touching touchy tough tougher toughest toughness tour toured touring tourism
    tourist tourists tournament tournaments tours tout touted tow toward towards towed
    towel towels tower towering towers towing town towns township townships toxic
    toxicity toxicology toxin toxins toy toys trace traced tracer traces tracing track
    tracked tracker tracking tracks tract traction tractor tractors tracts trade traded
    trademark trademarks trader traders trades trading tradition traditional
    traditionally traditions traffic trafficking tragedies tragedy tragic tragically
    trail trailed trailer trailers trailing trails train trained trainee trainees
    trainer trainers training trains trait traitor traitors traits trajectory tram tramp
    trampoline trance tranquil trans transaction transactions transatlantic transcribed
    transcript transcription transcripts transfer transferred transferring transfers
    transform transformation transformations transformed transformer transformers
    transforming transforms transfusion transient transistor transit transition
    transitional transitioning transitions translate translated translates translating
    translation translations translator translators translucent transmission
    transmissions transmit transmitted transmitter transmitting transnational
    transparency transparent transplant transplantation transplants transport
    transportation transported transporter transporting transports transverse trap
    trapped trapping traps trash trashed trauma traumatic traumatized travel traveled
    traveler travelers traveling travelled traveller travellers travelling travels
    traverse tray trays treacherous treachery tread treadmill treason treasure treasured
    treasurer treasures treasury treat treated treaties treating treatise treatment
    treatments treats treaty treble tree trees trek trembling tremendous tremendously
    trench trenches trend trending trends trendy trespassing triad trial trials triangle
    triangles triangular triathlon tribal tribe tribes tribunal tribune tributaries
    tributary tribute tributes trick tricked trickle tricks tricky trident tried tries
    trigger triggered triggering triggers trillion trilogy trim trimmed trimming trinity
    trio trip triple tripod tripped tripping trips triumph triumphant triumphs trivia
    trivial troll trolley trolling trolls troop trooper troopers troops trophies trophy
    tropical tropics trot trouble troubled troubles troublesome troubling trough troupe
    trousers trout troy truce truck trucking trucks true truly trump trumpet trumpets
    trumps trunk trunks truss trust trusted trustee trustees trusting trusts trustworthy
    truth truthful truthfully truths try trying ts tsar tsp tsunami tub tube
    tuberculosis tubes tubing tubular tuck tucked tucker tug tuition tulip tumble
    tumbling tummy tumor tumors tuna tune tuned tunes tungsten tuning tunnel tunnels
    turbine turbines turbulence turbulent turd turf turkey turkeys turmoil turn
    turnaround turned turner turning turnout turnover turnovers turnpike turns turquoise
    turret turrets turtle turtles tutor tutorial tutorials tutoring tutors twain tweak
    tweaking tweaks tweed tweet tweeted tweeting tweets twelfth twelve twenties
    twentieth twenty twice twigs twilight twin twinkle twins twist twisted twisting
    twists twitch twitter two tycoon tying type typed types typewriter typhoon typical
    typically typing typo tyranny tyrant ubiquitous ugh ugly uh ultimate ultimately
    ultimatum ultra ultrasound ultraviolet um umbrella umpire umpires unable
    unacceptable unaffected unanimous unanimously unanswered unarmed unattended
    unattractive unauthorized unavailable unavoidable unaware unbalanced unbearable
    unbeatable unbeaten unbelievable unbelievably unbiased unborn unbreakable unbroken
    uncanny uncertain uncertainties uncertainty unchanged uncharted unchecked uncle
    unclear uncles uncomfortable uncommon unconditional unconditionally unconscious
    unconstitutional uncontrollable uncontrolled unconventional uncover uncovered uncut
    undecided undefeated undeniable undeniably under underage undercover underdog
    underestimate underestimated undergo undergoes undergoing undergone undergraduate
    undergraduates underground underlying undermine undermined undermines undermining
    underneath underrated underside understand understandable understandably
    understanding understands understatement understood undertake undertaken undertaker
    undertaking undertook underwater underwear underwent underworld underwriting
    undesirable undisclosed undisputed undo undocumented undone undoubtedly undue
    unearthed uneasy uneducated unemployed unemployment unequal unethical uneven
    unexpected unexpectedly unexplained unfair unfairly unfamiliar unfavorable
    unfinished unfit unfold unfolded unfolding unfolds unforeseen unforgettable
    unfortunate unfortunately unfounded ungrateful unhappiness unhappy unharmed
    unhealthy unheard unicorn unidentified unification unified uniform uniformed
    uniformly uniforms unifying unilateral unilaterally unimaginable unimportant
    uninsured unintended unintentional unintentionally uninterrupted union unions unique
    uniquely uniqueness unison unit unite united unites uniting units unity universal
    universally universe universities university unjust unknown unlawful unleash
    unleashed unless unlike unlikely unlimited unload unloaded unloading unlock unlocked
    unlocking unlucky unmanned unmarked unmarried unmatched unnamed unnatural
    unnecessarily unnecessary unnoticed unofficial unorthodox unpaid unparalleled
    unplanned unpleasant unpopular unprecedented unpredictable unprepared unprofessional
    unprotected unpublished unqualified unquestionably unravel unreal unrealistic
    unreasonable unrelated unreleased unreliable unresolved unrest unrestricted unsafe
    unseen unsettled unsettling unsigned unsolicited unsolved unspeakable unspecified
    unspoken unstable unstoppable unsuccessful unsuccessfully unsuitable unsure
    unsuspecting unthinkable until untimely untitled unto untold untouched untreated
    untrue unused unusual unusually unveil unveiled unveiling unwanted unwelcome unwell
    unwilling unworthy up upbeat upbringing upcoming update updated updates updating
    upfront upgrade upgraded upgrades upgrading upheaval upheld uphill uphold upholding
    upkeep uplift uplifting upload uploaded uploading uploads upon upper upright
    uprising uproar ups upscale upset upsets upsetting upside upstairs upstate upstream
    uptake uptown upward upwards uranium urban urge urged urgency urgent urgently urges
    urging urinary urine urn us usable usage use used useful usefulness useless user
    username users uses usher using usual usually utensils uterus utilities utility
    utilization utilize utilized utilizes utilizing utmost utopia utopian utter uttered
    utterly vacancies vacancy vacant vacate vacated vacation vacations vaccinated
    vaccination vaccinations vaccine vaccines vacuum vagina vaginal vague vaguely vain
    vale valentine valet valiant valid validate validated validation validity valley
    valleys valor valuable valuation valuations value valued values valve valves vampire
    vampires van vandalism vanguard vanilla vanish vanished vanishing vanity vans
    vantage vape vapor var variability variable variables variance variant variants
    variation variations varied varies varieties variety various variously varsity vary
    varying vascular vase vast vastly vat vault vaults vector vectors vegan vegetable
    vegetables vegetarian vegetation veggie veggies vehemently vehicle vehicles veil
    veiled vein veins velocity velvet vendetta vending vendor vendors veneer venerable
    vengeance venom vent ventilation venting vents venture ventured ventures venue
    venues verb verbal verbally verbs verdict verge verification verified verify
    vernacular versatile versatility verse versed verses version versions versus
    vertebrae vertex vertical vertically vertigo very vessel vessels vest vested vests
    vet veteran veterans veterinarian veterinary veto vets vi via viability viable vibe
    vibes vibrant vibrating vibration vibrations vicar vice vicinity vicious victim
    victims victor victories victorious victory video videos vie view viewed viewer
    viewers viewing viewpoint viewpoints views vigil vigilance vigilant vigilante
    vigorous vigorously vii viii vile villa village villagers villages villain villains
    villas vine vinegar vines vineyard vineyards vintage vinyl viola violate violated
    violates violating violation violations violence violent violently violet violin
    viper viral virgin virginity virgins virtual virtually virtue virtues virtuous virus
    viruses visa visas visceral viscosity viscount visibility visible visibly vision
    visionary visions visit visitation visited visiting visitor visitors visits vista
    visual visualization visualize visually visuals vital vitality vitamin vitamins viva
    vivid vividly viz vocabulary vocal vocalist vocals vocation vocational vodka vogue
    voice voiced voicemail voices voicing void vol volatile volatility volcanic volcano
    volcanoes volley volleyball vols volt voltage volts volume volumes voluntarily
    voluntary volunteer volunteered volunteering volunteers vomit vomiting voodoo vortex
    vote voted voter voters votes voting vouch voucher vouchers vow vowed vowel vowels
    vows voyage voyager voyages vs vulgar vulnerabilities vulnerability vulnerable
    vulture wacky wade wafer waffle waffles wage waged wager wages wagon wagons waist
    wait waited waiter waiters waiting waitress waits waive waived waiver waivers wake
    wakes waking waldo wales walk walked walker walkers walking walks walkway wall
    walled wallet wallets wallpaper walls walnut waltz wan wand wander wandered
    wanderers wandering wanna wannabe want wanted wanting wants war ward warden wardrobe
    wards ware warehouse warehouses wares warfare warm warmed warmer warmest warming
    warmly warms warmth warn warned warning warnings warns warp warped warrant warranted
    warrants warranty warren warring warrior warriors wars warship warships wartime wary
    was wash washed washer washes washing wasp wasps waste wasted wasteful wasteland
    wastes wastewater wasting watch watchdog watched watchers watches watching water
    watercolor watered waterfall waterfalls waterfront watering watermelon waterproof
    waters watershed waterway waterways watery watt watts wave waved wavelength
    wavelengths waves waving wavy wax way ways we weak weaken weakened weakening weaker
    weakest weakly weakness weaknesses wealth wealthiest wealthy weapon weaponry weapons
    wear wearable wearing wears weary weasel weather weathered weave weaver weaving web
    webcam webinar website websites wed wedding weddings wedge wedges wee weed weeds
    week weekday weekdays weekend weekends weekly weeks weep weeping weigh weighed
    weighing weighs weight weighted weights weir weird weirdest weirdo welch welcome
    welcomed welcomes welcoming weld welded welding welfare well wellington wells welsh
    wen went wept were werewolf west western westerners westward wet wetland wetlands
    whack whale whales whaling wharf what whatever whats whatsoever wheat wheel
    wheelchair wheeled wheeler wheeling wheels when whenever where whereabouts whereas
    whereby wherein wherever whether whew which whichever whiff while whilst whim whine
    whining whip whipped whipping whips whirlwind whiskey whisky whisper whispered
    whispering whispers whistle whistler whistles whistling whit white whites who whoa
    whoever whole wholeheartedly wholesale wholesome wholly whom whomever whoop whooping
    whoops whopping whore whores whose why wick wicked wicket wickets wide widely widen
    widened widening wider widespread widest widow widowed widows width wield wielding
    wiener wife wig wiggle wight wigs wiki wild wildcats wilder wilderness wildest
    wildfire wildfires wildlife wildly will willed willing willingly willingness willow
    wills wilt win wind winding windmill window windows winds windshield windy wine
    winery wines wing winged winger wingers wings wink winner winners winning winnings
    wins winter winters wipe wiped wipes wiping wire wired wireless wires wiring wisdom
    wise wisely wiser wish wished wishes wishing wit witch witchcraft witches with
    withdraw withdrawal withdrawals withdrawing withdrawn withdrew withheld withhold
    withholding within without withstand witness witnessed witnesses witnessing wits
    witty wives wiz wizard wizards woe woes woke woken wolf wolverine wolves woman womb
    women won wonder wondered wonderful wonderfully wondering wonderland wonders
    wondrous wont woo wood wooded wooden woodland woodlands woods woodwork woody woof
    wool word worded wording words wore work workable worked worker workers workflow
    workforce working workings workload workout workouts workplace workplaces works
    workshop workshops world worldly worlds worldwide worm worms worn worried worries
    worry worrying worse worsened worsening worship worshipped worst worth worthless
    worthwhile worthy would wound wounded wounding wounds woven wow wrap wrapped wrapper
    wrapping wraps wrath wreath wreck wreckage wrecked wrecking wrench wrestle wrestler
    wrestlers wrestling wretched wright wrinkle wrinkles wrist wrists writ write writer
    writers writes writing writings written wrong wrongdoing wrongful wrongly wrongs
    wrote wrought wt xi xii xiii xiv xv xvi xx xxx yacht yachts yahoo yak yard yards
    yarn ye yea yeah year yearbook yearly yearning years yeast yell yelled yelling
    yellow yellowish yells yelp yen yep yes yesterday yet yield yielded yielding yields
    yo yoga yogi yogurt you young younger youngest youngster youngsters your yours
    yourself yourselves youth youthful youths yr yrs yum yummy yup zeal zebra zen zenith
    zeppelin zero zest zinc zip zipper zodiac zombie zombies zone zoned zones zoning zoo
    zoology zoom zoos
"""

COMMON_ENGLISH: frozenset[str] = frozenset(_COMMON_ENGLISH_TEXT.split())
