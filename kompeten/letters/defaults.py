"""Default texts of the announcement letter, taken from the 2019 letter of Pusbang ASN BKN
(Nomor 195/A/TU/Pusbang ASN/III/2019). Placeholders in braces are filled per programme."""

NUMBER_FORMAT = "{seq}/A/TU/Pusbang ASN/{month_roman}/{year}"
PLACE = "Bogor"
SUBJECT = "Surat Pemberitahuan Pelatihan dan Sertifikasi Manajemen ASN"
ATTACHMENT = "1 (satu) berkas"
LETTERHEAD_ADDRESS = "Laman: pusbangasn.bkn.go.id"
ADDRESSEE_CENTRAL = "Kepala Biro Kepegawaian/SDM {agency}"
ADDRESSEE_REGIONAL = "Kepala {agency}"

BODY = """\
Kami beritahukan dengan hormat bahwa Pusat Pengembangan (Pusbang) ASN BKN akan \
menyelenggarakan Pelatihan dan Sertifikasi Manajemen ASN bagi {participants} pengelola \
kepegawaian {levels} selama {days} hari yang akan diselenggarakan secara bertahap di Pusbang \
ASN BKN dan terbagi atas {batches} angkatan dengan jadwal dan panduan kegiatan terlampir.

Sehubungan dengan hal tersebut, kami menawarkan kepada instansi Saudara untuk mengusulkan \
pejabat pengelola kepegawaian masing-masing 1 (satu) orang JPT Pratama, Administrator, dan \
Pengawas sebagai calon peserta Pelatihan dan Sertifikasi Manajemen ASN dengan melakukan \
registrasi dan mengunggah dokumen yang diperlukan di {site}. Untuk informasi lebih lanjut \
tentang program ini dapat menghubungi Sdr. Eko Wahyudi (081310713132) atau Donna \
(087725929595).

Demikian kami sampaikan, atas kerjasamanya diucapkan terima kasih."""

TEMBUSAN = """\
Kepala BKN, sebagai Laporan;
Sekretaris Utama BKN."""

CATATAN = """\
Peserta wajib membawa : (a) SP mengikuti pelatihan dan sertifikasi, (b) Kartu BPJS \
Kesehatan/JKN KIS dan obat-obatan pribadi, (c) Laptop/Notebook, (d) Portofolio/Riwayat \
Pekerjaan, (e) Pas Foto berlatar belakang merah ukuran 3x4 sebanyak 2 lembar dan (f) \
peralatan mandi pribadi;
Selama kegiatan, peserta mengenakan baju batik;
Pusbang ASN BKN menanggung biaya kegiatan, akomodasi dan konsumsi;
Pusbang ASN BKN tidak menanggung transportasi dan uang saku peserta."""

# Placeholders of each text, with a sample value to try a text out before saving it.
NUMBER_PLACEHOLDERS = {"seq": 195, "month_roman": "III", "month": 3, "year": 2019}
BODY_PLACEHOLDERS = {
    "program": "Pelatihan dan Sertifikasi Kompetensi Teknis Manajemen ASN", "year": 2019,
    "participants": 1500, "levels": "JPT Pratama, Administrator dan Pengawas",
    "days": "2 (dua)", "batches": 50, "site": "pusbangasn.bkn.go.id",
    "nomination_url": "https://pusbangasn.bkn.go.id/usulan/tambah/",
}
ADDRESSEE_PLACEHOLDERS = {"agency": "BKD Provinsi Jawa Barat"}
