"""The demo's cases (demo.py writes them): 24 cases of Itabashi's regions and a block, written
for the demo in the way the guidebook's own examples read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sasaeai.progress.models import Stage

from .models import CaseStatus, Question

Q = Question


@dataclass(frozen=True)
class DemoCase:
    region: str
    title: str
    stage: int
    questions: tuple[str, ...]
    themes: tuple[str, ...]
    kinds: tuple[str, ...]
    background: str
    steps: str
    results: str
    tips: str
    next_challenges: str = ""
    voice: tuple[str, str] = ("", "")  # role, words
    months_ago: int = 6
    status: str = CaseStatus.PUBLISHED
    public: bool = True


# Cases the ward shared with the other municipalities of the installation (their titles' start).
SHARED = ("団地の集会所で男性の朝の体操", "駅前の商店と組んで買い物の帰り")

CASES = [
    DemoCase(
        "takashimadaira",
        "団地の集会所で男性の朝の体操を始めた",
        Stage.CREATE,
        (Q.MORE_MEMBERS, Q.IDEAS),
        ("担い手", "居場所"),
        ("exercise",),
        "サロンの参加者は女性がほとんどで、退職した男性が地域に出てこないことが会議で話題になった。",
        "1. 会議で男性が参加しやすい時間と内容を話し合った\n"
        "2. 朝7時のラジオ体操を集会所の前で始めた\n"
        "3. 体操のあとに10分だけお茶を飲む時間をつくった",
        "半年で参加者は5人から23人になり、そのうち男性が14人。体操のあとの雑談から、電球交換の"
        "手伝いを始めた人が3人いる。",
        "「サロン」と言わずに「朝の体操」と呼んだこと。役割（体操の号令、鍵当番）をお願いすると"
        "続けて来てくれる。",
        "雨の日と冬の朝の場所。",
        ("参加している男性", "朝に顔を合わせる相手ができて、散歩のついでに寄っています。"),
    ),
    DemoCase(
        "narimasu",
        "駅前の商店と組んで買い物の帰りに休める場所をつくった",
        Stage.CREATE,
        (Q.CONNECT, Q.IDEAS),
        ("買い物", "居場所"),
        ("shopping", "tea"),
        "坂の多い地域で、買い物の帰りに休む場所がないという声が困りごと調査で多かった。",
        "1. 商店会の会長に会議へ来てもらった\n2. 空き店舗の一角にいすを6脚置いた\n"
        "3. 民生委員が週2回、お茶を出す当番をした",
        "週におよそ60人が立ち寄る。立ち寄った人から、見守りが必要な一人暮らしの方が2人つながった。",
        "商店会にとっても客足が増える話として持ちかけた。いすは商店会の倉庫にあったものを使った。",
        "当番の人数を増やすこと。",
        ("商店会の会長", "お客さんとゆっくり話せるようになりました。"),
        months_ago=10,
    ),
    DemoCase(
        "tokumaru",
        "ゴミ出しのついでの声かけで見守りを続ける",
        Stage.DIG,
        (Q.KEEP_GOING,),
        ("見守り",),
        ("greeting", "watch-over"),
        "見守りの当番表をつくったが、当番が負担になって半年でやめた人が多かった。",
        "1. 当番をやめ、ゴミ出しのときに会ったら声をかけるだけにした\n"
        "2. 気になったことは町会長に電話一本で伝えることにした",
        "声をかける人は12人から31人に増えた。気づいたことの連絡は年に9件あり、2件は包括につないだ。",
        "「ついでにできること」にしたので負担がない。続けることを目標にした。",
        "連絡を受ける町会長の負担。",
        ("町会の役員", "当番がなくなって気が楽になりました。"),
    ),
    DemoCase(
        "itabashi",
        "区の広報に頼らない、掲示板と回覧板での活動紹介",
        Stage.DIG,
        (Q.SPREAD,),
        ("情報発信",),
        ("salon",),
        "活動があっても知られていない。調べると、参加者の8割が口コミで来ていた。",
        "1. 活動の一覧を1枚のチラシにした\n2. 町会の掲示板と回覧板で毎月まわした\n"
        "3. 文字を大きくし、電話番号を一番上に書いた",
        "3か月で活動への問い合わせが月2件から11件に増えた。",
        "「だれに電話すればいいか」がすぐわかるようにした。写真を1枚入れた。",
        "回覧板のない集合住宅への届け方。",
        months_ago=4,
    ),
    DemoCase(
        "kumano",
        "支え合い会議の立ち上げ: 町会・民生委員・包括で話す場をつくる",
        Stage.SETUP,
        (Q.IDEAS,),
        ("担い手",),
        ("neighbourhood", "welfare-commissioner"),
        "地域の困りごとを話し合う場がなく、それぞれが別々に動いていた。",
        "1. 社協のSCが町会長と民生委員の会長を一人ずつ訪ねた\n2. 第1回は顔合わせだけにした\n"
        "3. 2回目から地域の活動の地図を一緒につくった",
        "会議は1年で10回開かれ、毎回12人前後が集まる。活動の地図には42か所がのった。",
        "最初から「何かを決める」会議にしなかった。会場とお茶は持ち回り。",
        "若い世代の参加。",
        ("民生委員", "顔を知っている人が増えて、相談しやすくなりました。"),
        months_ago=20,
    ),
    DemoCase(
        "nakajuku",
        "宿場の祭りに合わせて活動の体験会を開いた",
        Stage.CREATE,
        (Q.SPREAD, Q.MORE_MEMBERS),
        ("情報発信", "担い手"),
        ("hobby", "salon"),
        "活動の担い手が高齢になり、新しい人が入ってこない。",
        "1. 祭りの日に、活動を体験できるテントを出した\n2. 囲碁・手芸・体操の3つを15分ずつ体験\n"
        "3. その場で次回の日時を書いたカードを渡した",
        "体験した人は74人。そのうち9人が次の活動に来て、4人が続けている。",
        "人が集まる日に出ていったこと。申込みをとらず、その場で体験してもらった。",
        "",
        ("手芸の会の代表", "若いお母さんが子どもと来てくれたのがうれしかった。"),
        months_ago=3,
    ),
    DemoCase(
        "nakacho",
        "空き家を借りた居場所を、家賃を払いながら続ける工夫",
        Stage.CREATE,
        (Q.KEEP_GOING,),
        ("居場所",),
        ("salon", "tea"),
        "空き家を借りて居場所を開いたが、家賃が負担で続けられるか心配だった。",
        "1. 曜日ごとに別の団体に使ってもらうことにした\n2. 使う団体から少しずつ使用料をもらう\n"
        "3. 収支を会議で毎回報告した",
        "週5日、6つの団体が使う。2年目から家賃をまかなえている。",
        "一つの団体で抱えこまず、場所を「みんなのもの」にした。",
        "建物の修繕費。",
        months_ago=14,
    ),
    DemoCase(
        "fujimi",
        "小学校のスクールガードから始まった多世代の見守り",
        Stage.DIG,
        (Q.CONNECT, Q.MORE_MEMBERS),
        ("見守り", "担い手"),
        ("school-guard", "watch-over"),
        "スクールガードの高齢者と子どもの保護者が、顔を合わせる機会がなかった。",
        "1. 学校の行事にスクールガードを招いてもらった\n2. 保護者と一緒に通学路を歩く日をつくった",
        "保護者から見守りに加わる人が7人出た。子どもから高齢者への声かけも増えた。",
        "学校のPTAと会議の両方に同じ人が出ていたので話が早かった。",
        "",
        ("PTAの役員", "登校のときに、あいさつする相手が増えました。"),
    ),
    DemoCase(
        "oyaguchi",
        "困りごと調査を老人クラブと一緒に行う",
        Stage.DIG,
        (Q.IDEAS,),
        ("担い手",),
        ("seniors-club",),
        "どんな困りごとがあるのか、会議のメンバーだけではわからなかった。",
        "1. 老人クラブの会員に聞き取りをお願いした\n2. 聞き取り票は質問を5つにしぼった\n"
        "3. 結果を会議で分けて話し合った",
        "212人から話を聞けた。多かったのは電球交換（38人）と通院の付き添い（27人）。",
        "聞く人も聞かれる人も同じ世代なので、本音が出やすかった。",
        "通院の付き添いをだれが担うか。",
        months_ago=12,
    ),
    DemoCase(
        "tokiwadai",
        "電球交換の「ちょいボラ」を始めた",
        Stage.CREATE,
        (Q.MORE_MEMBERS, Q.IDEAS),
        ("担い手",),
        ("light-bulb", "volunteer"),
        "困りごと調査で、電球交換や高いところの作業に困っている人が多かった。",
        "1. 30分でできる手伝いを「ちょいボラ」と呼んで募集した\n2. 依頼は社協の電話で受けた\n"
        "3. 手伝う人は2人一組にした",
        "登録した人は19人。1年で56件の依頼に応えた。",
        "「30分だけ」と時間を区切ったので、働いている人も登録してくれた。",
        "依頼が少ない月に担い手の気持ちが離れないようにすること。",
        ("登録した会社員", "仕事帰りに寄れるので続けられます。"),
        months_ago=8,
    ),
    DemoCase(
        "shimizu",
        "おかずのおすそ分けで一人暮らしの方とつながる",
        Stage.CREATE,
        (Q.IDEAS, Q.CONNECT),
        ("食事", "見守り"),
        ("sharing-food",),
        "一人暮らしの高齢者が増え、食事が偏りがちだという声があった。",
        "1. 月1回、町会の調理室でおかずを作った\n2. 民生委員が声をかけて届けた",
        "毎月およそ40食を届ける。届けるときの会話で、3件の困りごとがわかった。",
        "届けることより、顔を見ることを大事にした。",
        "調理の担い手。",
        months_ago=5,
    ),
    DemoCase(
        "shimurasakaue",
        "坂の上の地域で、車に乗り合って買い物へ",
        Stage.CREATE,
        (Q.IDEAS,),
        ("移動", "買い物"),
        ("shopping",),
        "急な坂があり、スーパーまで歩けない人が多い。",
        "1. 車を持つ住民に協力を呼びかけた\n2. 週1回、乗り合いで買い物に行く日を決めた\n"
        "3. ガソリン代は利用者で割り勘にした",
        "運転する人は4人、利用する人は15人。欠かさず1年続いている。",
        "事故のときのために、社協のボランティア保険に入った。",
        "運転する人が高齢になったときのこと。",
        ("運転している住民", "買い物のあとのお茶が楽しみになりました。"),
        months_ago=9,
    ),
    DemoCase(
        "nakadai",
        "防災訓練に「安否確認」を組み込んだ",
        Stage.DIG,
        (Q.CONNECT,),
        ("防災", "見守り"),
        ("neighbourhood",),
        "災害のとき、だれが一人暮らしなのか町会でもわからなかった。",
        "1. 防災訓練で、黄色いタオルを玄関に出してもらった\n2. タオルがない家を訪ねた",
        "訪ねた家は46軒。そのうち支援が必要な方が11人わかり、名簿に同意してもらえた。",
        "訓練として行ったので、訪ねても警戒されなかった。",
        "名簿を毎年見直すこと。",
        months_ago=11,
    ),
    DemoCase(
        "hasune",
        "カフェの閉店後の時間を借りて認知症カフェを開いた",
        Stage.CREATE,
        (Q.CONNECT, Q.KEEP_GOING),
        ("認知症", "居場所"),
        ("tea", "npo"),
        "認知症の方と家族が気軽に相談できる場所がなかった。",
        "1. 地元のカフェに、閉店後の2時間を貸してもらった\n2. 包括の職員が毎回来てくれる\n"
        "3. 家族だけで話す時間もつくった",
        "月1回、毎回12〜15人が参加。家族の会が自分たちで立ち上がった。",
        "いつものカフェなので、本人が嫌がらずに来られる。",
        "",
        ("参加した家族", "同じ悩みの人と話せて、気持ちが軽くなりました。"),
        months_ago=7,
    ),
    DemoCase(
        "funado",
        "川沿いの散歩仲間を、見守りの輪にした",
        Stage.DIG,
        (Q.KEEP_GOING, Q.MORE_MEMBERS),
        ("見守り",),
        ("dog-walking",),
        "川沿いを毎朝散歩する人は多いが、互いに名前を知らなかった。",
        "1. 犬の散歩仲間に、月1回の「お茶会」を呼びかけた\n2. 顔を見ない人がいたら連絡しあう",
        "お茶会の常連は18人。顔を見ない人に気づいて、2回家を訪ねた。",
        "犬の話から入ると、すぐに打ち解ける。",
        "",
        months_ago=2,
    ),
    DemoCase(
        "maeno",
        "活動の一覧を「地図」にして会議で確かめた",
        Stage.SETUP,
        (Q.SPREAD, Q.IDEAS),
        ("情報発信",),
        ("salon", "hobby"),
        "地域にどんな活動があるか、会議のメンバーでも知らないことが多かった。",
        "1. 大きな地図に活動の場所をシールで貼った\n2. 会議のたびに新しい活動を足した",
        "地図にのった活動は35。住民に配る縮小版を1,500部刷った。",
        "手を動かしながら話すので、会議が和やかになる。",
        "地図の更新。",
        months_ago=16,
    ),
    DemoCase(
        "sakuragawa",
        "子ども食堂と高齢者のサロンを同じ日に開く",
        Stage.CREATE,
        (Q.CONNECT,),
        ("食事", "居場所"),
        ("salon", "npo"),
        "子ども食堂とサロンが同じ会館を別の日に使っていた。",
        "1. 両方の代表と話し、同じ日の時間をずらして開いた\n2. 高齢者が配膳を手伝う",
        "配膳を手伝う高齢者が8人。子どもが高齢者に宿題を見てもらう姿も。",
        "どちらにも無理のない範囲で、同じ日に集まることから始めた。",
        "衛生管理の研修。",
        ("サロンの参加者", "孫のような子と話せて若返りました。"),
        months_ago=1,
    ),
    DemoCase(
        "shimoakatsuka",
        "会議のメンバー募集を「一日体験」で",
        Stage.SETUP,
        (Q.MORE_MEMBERS,),
        ("担い手",),
        ("volunteer",),
        "会議のメンバーが固定し、新しい人が入らなかった。",
        "1. 会議を一回だけ見学できる「一日体験」を回覧で知らせた\n2. 見学者には発言を求めない",
        "見学に来た人は6人、うち3人がメンバーになった。",
        "「来るだけでいい」と伝えたことで敷居が下がった。",
        "",
        months_ago=13,
    ),
    DemoCase(
        "takashimadaira",
        "集会所のサロンを住民が交代で運営するしくみ",
        Stage.CREATE,
        (Q.KEEP_GOING,),
        ("居場所", "担い手"),
        ("salon",),
        "サロンの運営が一人の代表に集中していた。",
        "1. 運営の仕事を8つに分けて書き出した\n2. 一つずつ、参加者にお願いした",
        "運営にかかわる人が1人から9人に増え、代表が休んでも開ける。",
        "仕事を小さく分けると、引き受けてもらいやすい。",
        "",
        months_ago=18,
    ),
    DemoCase(
        "itabashi",
        "スマホ教室を入口に、若い担い手とつながる",
        Stage.DIG,
        (Q.MORE_MEMBERS, Q.CONNECT),
        ("担い手", "情報発信"),
        ("hobby",),
        "高齢者のスマホの困りごとが多く、若い世代との接点もなかった。",
        "1. 近くの大学のサークルに先生役をお願いした\n2. 月2回の教室を集会所で開いた",
        "受講した高齢者は延べ120人。学生のうち5人が、ほかの活動も手伝い始めた。",
        "学生にとっても地域の経験になる、と伝えた。",
        "学生の卒業で担い手が入れ替わること。",
        ("大学生", "教えるつもりが、地域のことをたくさん教わりました。"),
        months_ago=6,
    ),
    DemoCase(
        "blk-akatsuka",
        "ブロックの4地域で担い手の交流会を開いた",
        Stage.SETUP,
        (Q.CONNECT, Q.IDEAS),
        ("担い手",),
        ("volunteer",),
        "地域ごとに同じ悩み（担い手不足）を抱えていたが、話し合う機会がなかった。",
        "1. ブロックのSCが4地域の担い手に声をかけた\n2. 地域ごとに工夫を5分で発表",
        "参加者は48人。ほかの地域のやり方をまねる話が3つ生まれた。",
        "発表を短くし、話す時間を長くとった。",
        "",
        months_ago=5,
    ),
    DemoCase(
        "tokumaru",
        "お祭りの片づけボランティアから会議のメンバーへ",
        Stage.DIG,
        (Q.MORE_MEMBERS,),
        ("担い手",),
        ("neighbourhood",),
        "町会の行事を手伝う人が減っていた。",
        "1. 祭りの片づけだけを手伝うボランティアを募った\n"
        "2. 終わったあとに打ち上げで会議の話をした",
        "片づけに来た人は22人。2人が会議に加わった。",
        "",
        "",
        status=CaseStatus.REVIEW,
        months_ago=1,
    ),
    DemoCase(
        "kumano",
        "銭湯の休みの日を使った体操教室",
        Stage.CREATE,
        (Q.IDEAS, Q.KEEP_GOING),
        ("居場所",),
        ("exercise",),
        "体操の場所が足りず、会館は予約がとりにくい。",
        "1. 銭湯の休業日に脱衣所を借りた\n2. 体操のあとに入浴券を割引で買える",
        "毎週20人前後が参加。",
        "",
        "",
        status=CaseStatus.REVIEW,
        months_ago=1,
    ),
    DemoCase(
        "hasune",
        "移動販売車を呼ぶための署名集め",
        Stage.DIG,
        (Q.IDEAS,),
        ("買い物", "移動"),
        ("shopping",),
        "近くのスーパーが閉店した。",
        "（書きかけ）",
        "",
        "",
        status=CaseStatus.DRAFT,
        months_ago=0,
    ),
    DemoCase(
        "nakajuku",
        "旧街道の清掃を見守りにつなげる",
        Stage.DIG,
        (Q.CONNECT,),
        ("見守り",),
        ("greeting",),
        "清掃活動の参加者が固定している。",
        "",
        "",
        "",
        status=CaseStatus.DRAFT,
        months_ago=0,
    ),
]


# Photos drawn for a few demo cases (no file from elsewhere): the start of the case's title,
# the caption, and the scene's colours (sky, ground, people).
PHOTOS = (
    ("団地の集会所で男性の朝の体操", "朝7時、集会所の前での体操",
     ("#bfe3f5", "#9ccf8a", "#e07a3f")),
    ("駅前の商店と組んで買い物の帰り", "商店の軒先のベンチでひと休み",
     ("#f5e6bf", "#c9b48a", "#3f7ae0")),
)  # fmt: skip


def demo_picture(colours: tuple[str, str, str], seed: int) -> bytes:
    """A simple drawn scene as a JPEG (sky, ground, a building, a row of people), through
    lib/photos.resized_photo as an upload would go."""
    import io
    import random

    from PIL import Image, ImageDraw

    from sasaeai.lib.photos import resized_photo

    sky, ground, people = colours
    rng = random.Random(seed)
    image = Image.new("RGB", (800, 600), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 380, 800, 600), fill=ground)
    draw.rectangle((480, 160, 760, 390), fill="#e8e4dc", outline="#8a8478", width=4)
    for row in range(3):
        for col in range(5):
            x, y = 500 + col * 52, 180 + row * 62
            draw.rectangle((x, y, x + 34, y + 40), fill="#7fa7c9")
    for i in range(7):
        x = 60 + i * 60 + rng.randint(-8, 8)
        draw.ellipse((x, 300, x + 36, 336), fill="#f2d0b0")  # a head
        draw.rounded_rectangle((x - 6, 338, x + 42, 430), radius=14, fill=people)
    out = io.BytesIO()
    image.save(out, "PNG")
    out.seek(0)
    out.size = len(out.getvalue())  # type: ignore[attr-defined]
    return resized_photo(out).read()


def add_demo_photos(municipality: Any) -> int:
    """The drawn photos on their demo cases (consent given, not internal), once each."""
    from django.core.files.base import ContentFile

    from .models import Case, CasePhoto

    made = 0
    for i, (start, caption, colours) in enumerate(PHOTOS):
        case = Case.objects.of(municipality).filter(title__startswith=start).first()
        if case is None or case.photos.exists():
            continue
        photo = CasePhoto(case=case, caption=caption, consent=True)
        photo.image.save("demo.jpg", ContentFile(demo_picture(colours, i)))
        made += 1
    return made
